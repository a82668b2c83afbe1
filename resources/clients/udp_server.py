# udp_server.py
import socket

HOST = '127.0.0.1'
PORT = 65432

with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    s.bind((HOST, PORT))
    print(f"Servidor UDP a escutar em {HOST}:{PORT}")

    while True:
        # recvfrom retorna dados E o endereço do remetente
        data, addr = s.recvfrom(1024)
        print(f"Recebido {data.decode()} de {addr}")

        if not data:
            break

        s.sendto(data, addr) # Enviar de volta (eco) para o remetente
