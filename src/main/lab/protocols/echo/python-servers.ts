// The course's Python servers (resources/servers/*.py), embedded so every host has them; a test
// keeps them equal to the files. Run with: python3 -u -c <source> PORT BACKLOG DELAY_SECONDS.

/** resources/servers/tcp_server.py */
export const TCP_SERVER_PY = `# tcp_server.py — o servidor TCP bloqueante do curso (seed 004), com três mudanças para a aula:
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
`

/** resources/servers/asyncio_server.py */
export const ASYNCIO_SERVER_PY = `# asyncio_server.py — o servidor asyncio do curso (seed 004), com o mesmo "trabalho" por pedido
# que o tcp_server.py (await asyncio.sleep(ATRASO)) e o mesmo backlog, para comparar os dois.
# Uso: python3 asyncio_server.py [PORTA] [BACKLOG] [ATRASO_EM_SEGUNDOS]
import asyncio
import sys

HOST = '127.0.0.1'
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 65432
BACKLOG = int(sys.argv[2]) if len(sys.argv) > 2 else 2
ATRASO = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0


async def handle_client(reader, writer):
    """Callback para cada nova conexão de cliente"""
    addr = writer.get_extra_info('peername')
    print(f"Ligado por {addr}", flush=True)

    try:
        while True:
            data = await reader.read(1024)
            if not data:
                break

            message = data.decode(errors='replace')
            print(f"Recebido de {addr}: {message}", flush=True)

            await asyncio.sleep(ATRASO)  # o "trabalho": o loop atende os outros enquanto isso

            # Enviar de volta (eco)
            writer.write(data)
            await writer.drain()  # Esperar até o buffer ser descarregado (flushed)

    except asyncio.CancelledError:
        print(f"Conexão com {addr} cancelada.", flush=True)
    finally:
        print(f"A fechar conexão com {addr}", flush=True)
        writer.close()
        await writer.wait_closed()


async def main():
    server = await asyncio.start_server(
        handle_client, HOST, PORT, backlog=BACKLOG)

    addr = server.sockets[0].getsockname()
    print(f'A servir em {addr}', flush=True)

    async with server:
        await server.serve_forever()

asyncio.run(main())
`
