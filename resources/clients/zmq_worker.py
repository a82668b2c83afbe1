# zmq_worker.py — worker PULL do ZeroMQ: recebe tarefas do ventilador (PUSH), à vez com os outros.
# Precisa do pyzmq: pip install pyzmq   (Debian/Ubuntu: sudo apt install python3-zmq)
import zmq

HOST = '127.0.0.1'  # o Wirelab (que passa tudo ao socket PUSH)
PORT = 5557         # PUSH/PULL

context = zmq.Context()
socket = context.socket(zmq.PULL)
socket.connect(f"tcp://{HOST}:{PORT}")
print("À espera de tarefas. Ctrl+C para sair.", flush=True)
try:
    while True:
        tarefa = socket.recv_string()
        print(f"A processar: {tarefa}", flush=True)
except KeyboardInterrupt:
    pass
socket.close()
context.term()
