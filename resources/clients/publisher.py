# publisher.py
import paho.mqtt.client as mqtt
import time
import random

def on_connect(client, userdata, flags, rc):
    print(f"Ligado com o código de resultado {rc}")

client = mqtt.Client()
client.on_connect = on_connect

# Ligar ao broker do Wirelab
client.connect("127.0.0.1", 1883, 60)
client.loop_start() # Iniciar uma thread de fundo para tratar da rede

try:
    while True:
        temperature = round(random.uniform(20.0, 25.0), 2)
        print(f"A publicar: {temperature}")

        # Publicar mensagem
        client.publish("myhome/livingroom/temperature", payload=temperature, qos=0)

        time.sleep(5)
except KeyboardInterrupt:
    print("Publicação parada")
    client.loop_stop()
