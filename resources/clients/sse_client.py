# sse_client.py — consumir um stream SSE só com a biblioteca padrão
import urllib.request

req = urllib.request.Request("http://127.0.0.1:8000/stream/metricas",
                             headers={"Accept": "text/event-stream"})
with urllib.request.urlopen(req) as resp:
    count = 0
    for raw in resp:
        line = raw.decode().rstrip("\n")
        if line.startswith("data:"):
            print(line[5:].strip())
            count += 1
            if count == 5:
                break
print(f"\nRecebidos {count} eventos via SSE!")
