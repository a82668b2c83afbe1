# rabbitmq_producer.py — publica leituras de temperatura numa exchange "topic" do RabbitMQ.
# Precisa do pika: pip install pika   (Debian/Ubuntu: sudo apt install python3-pika)
import sys
import time
import pika

HOST = '127.0.0.1'  # o Wirelab (que passa tudo ao RabbitMQ)
PORT = 5672         # a porta AMQP

conn = pika.BlockingConnection(pika.ConnectionParameters(host=HOST, port=PORT))
channel = conn.channel()

# A exchange "topic" encaminha pela routing key: * = uma palavra, # = zero ou mais.
channel.exchange_declare(exchange='sensores.topic', exchange_type='topic')

leituras = [('sala.101.temp', '21.5'), ('sala.102.temp', '19.0'), ('sala.101.umid', '55%')]
for routing_key, valor in leituras:
    channel.basic_publish(
        exchange='sensores.topic',
        routing_key=routing_key,
        body=valor,
        properties=pika.BasicProperties(content_type='text/plain', delivery_mode=2),  # 2 = persistente
    )
    print(f"Publicado {routing_key}: {valor}")
    time.sleep(0.2 if len(sys.argv) > 1 else 1)

conn.close()
