# redis_cache.py — o padrão "cache-aside" da API do dashboard, em Python com redis-py (RESP2).
# Pergunta ao Redis; se não tiver, pede à API (que consulta o Postgres) e guarda por 30 s.
# Rode com a lição do Wirelab ligada (python3 redis_cache.py).
import json
import urllib.request

import redis

HOST = "127.0.0.1"
PORT = 6379
API_PORT = 8000

r = redis.Redis(host=HOST, port=PORT)
chave = "metricas:2024-03-02"

guardado = r.get(chave)
if guardado is None:
    print("não estava no cache (GET devolveu nil): pedindo à API…")
    with urllib.request.urlopen(f"http://{HOST}:{API_PORT}/api/metricas?data=2024-03-02") as resp:
        corpo = resp.read()
    r.set(chave, corpo, ex=30)
else:
    print(f"veio do cache (TTL: {r.ttl(chave)} s)")
    corpo = guardado

dados = json.loads(corpo)
print(f"{dados['data']}: total R$ {dados['total']}")
for loja in dados["lojas"]:
    print(f"  {loja['loja']:12} {loja['vendas']:4} vendas  R$ {loja['total']}")
