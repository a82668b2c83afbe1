# ws_client.py — pip install websockets
import asyncio
import websockets

async def main():
    async with websockets.connect("ws://127.0.0.1:8765/?name=Python") as ws:
        await ws.send("Olá do Python!")
        print(await ws.recv())  # espera uma mensagem de outro cliente

asyncio.run(main())
