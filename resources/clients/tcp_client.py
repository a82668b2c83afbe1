# tcp_client.py
import socket

HOST = '127.0.0.1'  # O hostname ou IP do servidor
PORT = 65432        # A porta usada pelo servidor

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.connect((HOST, PORT))
    s.sendall(b'Ola, mundo') # Enviar como bytes
    data = s.recv(1024)
    print(f"Eco recebido: {data.decode()}")
