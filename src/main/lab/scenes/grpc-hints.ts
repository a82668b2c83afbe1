// "Use your own client" for the gRPC lessons: the course's sensor.proto, the Python client built
// only from it (resources/clients/grpc_client.py: `protoc --python_out` + grpcio), curl with a
// hand-made 5-byte prefix, and plain curl on the gRPC port, with the real address and port.
import type { ClientHint } from '../../../shared/scene'
import { SENSOR_PROTO } from '../protocols/common/sensor-proto'
import { scriptHint } from './client-scripts'

/** The course's gRPC port, as the script under resources/clients is written. */
const COURSE_PORT = 50051

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
    scriptHint(
      {
        en: 'Python client (grpcio): the four call types',
        pt: 'Cliente Python (grpcio): os quatro tipos de chamada'
      },
      'grpc_client.py',
      { host, port },
      COURSE_PORT
    ),
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
