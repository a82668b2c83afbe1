# s3_range_get.py — o que o Spark faz com um arquivo Parquet no S3, com boto3:
# lista os arquivos, lê só o rodapé (footer) com um GET de Range, e depois uma coluna só.
# Rode com o S3 da lição do Wirelab ligado (python3 s3_range_get.py).
import struct

import boto3

HOST = "127.0.0.1"
PORT = 9000
BUCKET = "datalake"

s3 = boto3.client(
    "s3",
    endpoint_url=f"http://{HOST}:{PORT}",
    region_name="us-east-1",
    aws_access_key_id="wirelab",
    aws_secret_access_key="wirelab-secret",
)

objetos = s3.list_objects_v2(Bucket=BUCKET, Prefix="vendas/")["Contents"]
for o in objetos:
    print(f"{o['Key']}  {o['Size']} bytes")

chave = objetos[0]["Key"]
tamanho = objetos[0]["Size"]

# Os últimos 8 bytes: o tamanho do rodapé (4 bytes, little-endian) e a assinatura "PAR1".
fim = s3.get_object(Bucket=BUCKET, Key=chave, Range=f"bytes={tamanho - 8}-{tamanho - 1}")
ultimos = fim["Body"].read()
tamanho_rodape = struct.unpack("<I", ultimos[:4])[0]
print(f"\n{fim['ContentRange']}: rodapé de {tamanho_rodape} bytes, assinatura {ultimos[4:]!r}")

# O rodapé inteiro (metadados: esquema, row groups, onde fica cada coluna).
inicio = tamanho - 8 - tamanho_rodape
rodape = s3.get_object(Bucket=BUCKET, Key=chave, Range=f"bytes={inicio}-{tamanho - 9}")
print(f"{rodape['ContentRange']}: {len(rodape['Body'].read())} bytes de metadados (Thrift)")
print(f"Lidos {8 + tamanho_rodape} de {tamanho} bytes ({100 * (8 + tamanho_rodape) / tamanho:.1f}%).")
