# udp_client.py
import socket

HOST = '127.0.0.1'
PORT = 65432
MESSAGE = b'Ola, UDP!'

with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    s.sendto(MESSAGE, (HOST, PORT))

    data, addr = s.recvfrom(1024)
    print(f"Eco recebido: {data.decode()} de {addr}")
