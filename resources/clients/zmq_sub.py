# zmq_sub.py — subscritor SUB do ZeroMQ: liga-se diretamente ao publisher (não há broker).
# Precisa do pyzmq: pip install pyzmq   (Debian/Ubuntu: sudo apt install python3-zmq)
# Uso: python3 zmq_sub.py [tópico] [quantas mensagens antes de sair]
import sys
import zmq

HOST = '127.0.0.1'  # o Wirelab (que passa tudo ao socket PUB)
PORT = 5556         # PUB/SUB

topico = sys.argv[1] if len(sys.argv) > 1 else 'sensor.temp'
maximo = int(sys.argv[2]) if len(sys.argv) > 2 else None

context = zmq.Context()
socket = context.socket(zmq.SUB)
socket.connect(f"tcp://{HOST}:{PORT}")
# A subscrição viaja até ao publisher (comando SUBSCRIBE): é lá que as mensagens são filtradas.
socket.setsockopt_string(zmq.SUBSCRIBE, topico)
print(f"Subscrito a '{topico}'", flush=True)

recebidas = 0
try:
    while maximo is None or recebidas < maximo:
        partes = socket.recv_multipart()
        print("Recebido:", " ".join(p.decode(errors='replace') for p in partes), flush=True)
        recebidas += 1
except KeyboardInterrupt:
    pass
socket.close()
context.term()
