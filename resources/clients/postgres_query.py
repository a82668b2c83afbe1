# postgres_query.py — a mesma consulta que a API do dashboard faz, com psycopg 3.
# O psycopg manda Parse/Bind/Execute (protocolo estendido): o parâmetro vai separado do SQL.
# Rode com a lição do Wirelab ligada (python3 postgres_query.py).
import psycopg

HOST = "127.0.0.1"
PORT = 5432

SQL = """
SELECT loja, count(*) AS vendas, sum(valor) AS total
FROM vendas WHERE data = %s
GROUP BY loja ORDER BY total DESC
"""

with psycopg.connect(host=HOST, port=PORT, user="postgres", dbname="postgres", sslmode="disable") as conn:
    for loja, vendas, total in conn.execute(SQL, ("2024-03-01",)):
        # numeric chega como Decimal (exato); count(*) como int
        print(f"{loja:12} {vendas:4} vendas  R$ {total}")
