# zmq_req.py — cliente REQ do ZeroMQ: envia um pedido e espera pela resposta, passo a passo.
# Precisa do pyzmq: pip install pyzmq   (Debian/Ubuntu: sudo apt install python3-zmq)
import zmq

HOST = '127.0.0.1'  # o Wirelab (que passa tudo ao socket REP)
PORT = 5555         # REQ/REP

context = zmq.Context()
socket = context.socket(zmq.REQ)
socket.connect(f"tcp://{HOST}:{PORT}")

for i in range(3):
    socket.send_string(f"Ola do Python {i}")
    resposta = socket.recv_string()  # um REQ tem de receber a resposta antes do próximo pedido
    print(f"Resposta: {resposta}")

socket.close()
context.term()
