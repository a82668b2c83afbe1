# rabbitmq_consumer.py — cria uma fila, liga-a à exchange "topic" e consome com ack manual.
# Precisa do pika: pip install pika   (Debian/Ubuntu: sudo apt install python3-pika)
# Uso: python3 rabbitmq_consumer.py [quantas mensagens antes de sair]
import sys
import pika

HOST = '127.0.0.1'  # o Wirelab (que passa tudo ao RabbitMQ)
PORT = 5672         # a porta AMQP

conn = pika.BlockingConnection(pika.ConnectionParameters(host=HOST, port=PORT))
channel = conn.channel()

channel.exchange_declare(exchange='sensores.topic', exchange_type='topic')
channel.queue_declare(queue='leituras')
channel.queue_bind(queue='leituras', exchange='sensores.topic', routing_key='sala.*.temp')
channel.basic_qos(prefetch_count=1)  # no máximo 1 mensagem sem ack de cada vez

maximo = int(sys.argv[1]) if len(sys.argv) > 1 else None
recebidas = 0

def ao_receber(ch, method, properties, body):
    global recebidas
    print(f"Recebido {method.routing_key}: {body.decode()}", flush=True)
    ch.basic_ack(delivery_tag=method.delivery_tag)  # confirma: o RabbitMQ pode apagá-la
    recebidas += 1
    if maximo is not None and recebidas >= maximo:
        ch.stop_consuming()

channel.basic_consume(queue='leituras', on_message_callback=ao_receber)
print("À espera de mensagens em 'leituras' (sala.*.temp). Ctrl+C para sair.", flush=True)
try:
    channel.start_consuming()
except KeyboardInterrupt:
    pass
conn.close()
