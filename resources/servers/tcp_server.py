# tcp_server.py — o servidor TCP bloqueante do curso (seed 004), com três mudanças para a aula:
#   1. um laço em volta do accept(): atende um cliente até ele fechar, depois o próximo
#      (o original atende um só e termina);
#   2. time.sleep(ATRASO): o "trabalho" de cada pedido;
#   3. listen(BACKLOG): o tamanho da fila de conexões que esperam pelo accept().
# Uso: python3 tcp_server.py [PORTA] [BACKLOG] [ATRASO_EM_SEGUNDOS]
import socket
import sys
import time

HOST = '127.0.0.1'  # Interface loopback padrão
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 65432  # Porta para escutar
BACKLOG = int(sys.argv[2]) if len(sys.argv) > 2 else 2
ATRASO = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0

# Usar 'with' para gestão automática de recursos
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.bind((HOST, PORT))
    s.listen(BACKLOG)
    print(f"Servidor TCP a escutar em {HOST}:{s.getsockname()[1]}", flush=True)
    while True:
        # accept() bloqueia até haver uma conexão na fila
        conn, addr = s.accept()
        with conn:
            print(f"Ligado por {addr}", flush=True)
            while True:
                data = conn.recv(1024)  # buffer de 1KB; bloqueia até chegarem dados
                if not data:
                    break  # Cliente fechou a conexão
                print(f"Recebido: {data.decode(errors='replace')}", flush=True)
                time.sleep(ATRASO)  # o "trabalho": ninguém mais é atendido enquanto isso
                conn.sendall(data)  # Enviar de volta (eco)
