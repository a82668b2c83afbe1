# subscriber.py
import paho.mqtt.client as mqtt

# Callback ao ligar
def on_connect(client, userdata, flags, rc):
    print(f"Ligado com o código de resultado {rc}")
    # Subscrever o tópico assim que estiver ligado
    client.subscribe("myhome/livingroom/temperature")
    print("Subscrito a 'myhome/livingroom/temperature'")

# Callback quando uma mensagem é recebida
def on_message(client, userdata, msg):
    print(f"Tópico: {msg.topic} | Mensagem: {msg.payload.decode()}")

client = mqtt.Client()
client.on_connect = on_connect
client.on_message = on_message

client.connect("127.0.0.1", 1883, 60)

# Chamada blocante que processa o tráfego de rede, despacha callbacks
# e trata da reconexão.
client.loop_forever()
