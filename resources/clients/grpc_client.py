# grpc_client.py: calls Wirelab's SensorService using only the course's sensor.proto.
#   protoc --python_out=. sensor.proto    # writes sensor_pb2.py (the messages)
#   python3 grpc_client.py
# Needs grpcio and protobuf (pip install grpcio protobuf, or apt install python3-grpcio python3-protobuf).
import grpc
import sensor_pb2

HOST = '127.0.0.1'
PORT = 50051

with grpc.insecure_channel(f'{HOST}:{PORT}') as channel:
    # The service has no package, so its methods live at /SensorService/<Method>.
    get_temperatura = channel.unary_unary(
        '/SensorService/GetTemperatura',
        request_serializer=sensor_pb2.SensorRequest.SerializeToString,
        response_deserializer=sensor_pb2.TemperaturaResponse.FromString)
    stream_leituras = channel.unary_stream(
        '/SensorService/StreamLeituras',
        request_serializer=sensor_pb2.SensorRequest.SerializeToString,
        response_deserializer=sensor_pb2.LeituraResponse.FromString)
    enviar_leituras = channel.stream_unary(
        '/SensorService/EnviarLeituras',
        request_serializer=sensor_pb2.LeituraResponse.SerializeToString,
        response_deserializer=sensor_pb2.ResumoLeituras.FromString)
    conversar = channel.stream_stream(
        '/SensorService/Conversar',
        request_serializer=sensor_pb2.MensagemChat.SerializeToString,
        response_deserializer=sensor_pb2.MensagemChat.FromString)

    # Unary: 1 request -> 1 response
    resposta = get_temperatura(sensor_pb2.SensorRequest(sensor_id='A1'), timeout=5)
    print(f'GetTemperatura: {resposta.valor} {resposta.unidade}')

    # Server streaming: 1 request -> N responses
    for leitura in stream_leituras(sensor_pb2.SensorRequest(sensor_id='A1', ultimos_minutos=3), timeout=30):
        print(f'StreamLeituras: {leitura.temperatura} ({leitura.sensor} @ {leitura.timestamp})')

    # Client streaming: N requests -> 1 response
    lote = (sensor_pb2.LeituraResponse(temperatura=t, sensor='A1') for t in (22.5, 23.0, 23.5))
    resumo = enviar_leituras(lote, timeout=10)
    print(f'EnviarLeituras: {resumo.quantidade} leituras, media {resumo.media}')

    # Bidirectional streaming: N requests <-> N responses
    perguntas = (sensor_pb2.MensagemChat(de='python', texto=t) for t in ('Oi!', 'Qual a temperatura do A1?'))
    for msg in conversar(perguntas, timeout=10):
        print(f'Conversar: {msg.de}: {msg.texto}')
