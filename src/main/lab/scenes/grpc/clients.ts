// "Use your own client" for the gRPC lessons: the course's sensor.proto, the Python client built
// only from it (`protoc --python_out` + grpcio), curl with a hand-made 5-byte prefix, and plain
// curl on the gRPC port. `grpcClientPy('127.0.0.1', 50051)` is `resources/clients/grpc_client.py`
// byte for byte (a test keeps them equal).
import type { ClientHint } from '../../../../shared/scene'
import { SENSOR_PROTO } from '../../protocols/common/sensor-proto'

export const grpcClientPy = (
  host: string,
  port: number
): string => `# grpc_client.py: calls Wirelab's SensorService using only the course's sensor.proto.
#   protoc --python_out=. sensor.proto    # writes sensor_pb2.py (the messages)
#   python3 grpc_client.py
# Needs grpcio and protobuf (pip install grpcio protobuf, or apt install python3-grpcio python3-protobuf).
import grpc
import sensor_pb2

HOST = '${host}'
PORT = ${port}

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
`

/** The request `printf` writes for curl: the 5-byte prefix, then SensorRequest{sensor_id: "A1"} (0a 02 41 31). */
export const CURL_BODY_PRINTF = String.raw`printf '\000\000\000\000\004\012\002A1'`

export function grpcHints(host: string, port: number): ClientHint[] {
  return [
    {
      title: {
        en: 'The contract: the course’s sensor.proto (save it next to the script)',
        pt: 'O contrato: o sensor.proto do curso (salve ao lado do script)'
      },
      file: { name: 'sensor.proto', language: 'shell', content: SENSOR_PROTO }
    },
    {
      title: {
        en: 'Generate the Python messages from it (protoc)',
        pt: 'Gere as mensagens Python a partir dele (protoc)'
      },
      command: 'protoc --python_out=. sensor.proto'
    },
    {
      title: {
        en: 'Python client (grpcio): the four call types',
        pt: 'Cliente Python (grpcio): os quatro tipos de chamada'
      },
      command: 'python3 grpc_client.py',
      file: { name: 'grpc_client.py', language: 'python', content: grpcClientPy(host, port) }
    },
    {
      title: {
        en: 'curl: gRPC is HTTP/2 + a 5-byte prefix + protobuf. Hand-made request, trailers shown by -v',
        pt: 'curl: gRPC é HTTP/2 + um prefixo de 5 bytes + protobuf. Requisição feita à mão; -v mostra os trailers'
      },
      command: `${CURL_BODY_PRINTF} | curl -v --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' --data-binary @- http://${host}:${port}/SensorService/GetTemperatura --output - | od -A d -t x1`
    },
    {
      title: {
        en: 'Plain curl (HTTP/1.1): the HTTP/2 server answers with binary frames, so curl says "Received HTTP/0.9 when not allowed"',
        pt: 'curl simples (HTTP/1.1): o servidor HTTP/2 responde com frames binários e o curl diz "Received HTTP/0.9 when not allowed"'
      },
      command: `curl http://${host}:${port}/`
    }
  ]
}
