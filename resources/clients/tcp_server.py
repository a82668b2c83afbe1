# tcp_server.py
import socket

HOST = '127.0.0.1'  # Interface loopback padrão
PORT = 65432        # Porta para escutar

# Usar 'with' para gestão automática de recursos
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.bind((HOST, PORT))
    s.listen()
    print(f"Servidor TCP a escutar em {HOST}:{PORT}")
    # conn é um novo objeto socket usável para enviar/receber dados
    # addr é o endereço associado ao cliente
    conn, addr = s.accept()
    with conn:
        print(f"Ligado por {addr}")
        while True:
            data = conn.recv(1024) # buffer de 1KB
            if not data:
                break # Cliente fechou a conexão
            print(f"Recebido: {data.decode()}")
            conn.sendall(data) # Enviar de volta (eco)
