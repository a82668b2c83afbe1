# asyncio_server.py — o servidor asyncio do curso (seed 004), com o mesmo "trabalho" por pedido
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
