// The course's `sensor.proto` (seed 001, "gRPC"), the one contract every lesson that speaks
// Protobuf uses: the serialization lesson encodes its LeituraResponse, the gRPC lesson serves its
// SensorService, the REST vs gRPC vs GraphQL lesson calls GetSensor. Embedded so every host (app,
// CLI, tests) has it; a test keeps it equal to `resources/sensor.proto`, the file students compile.
import protobuf from 'protobufjs'

export const SENSOR_PROTO = `// sensor.proto — o "contrato" entre cliente e servidor
// (course notes, "gRPC (Google Remote Procedure Call)"), plus the reading the
// serialization lesson encodes: {"temperatura": 23.5, "sensor": "A1", ...}.
syntax = "proto3";

service SensorService {
    rpc GetTemperatura (SensorRequest) returns (TemperaturaResponse);
    rpc StreamLeituras (SensorRequest) returns (stream LeituraResponse);
    // The other two call types of the course's table, on the same service:
    rpc EnviarLeituras (stream LeituraResponse) returns (ResumoLeituras); // client streaming: upload de batch
    rpc Conversar (stream MensagemChat) returns (stream MensagemChat);    // bidirecional: chat em tempo real
    // A sensor with its latest readings in one call (the REST vs gRPC vs GraphQL lesson).
    rpc GetSensor (SensorRequest) returns (Sensor);
}

message SensorRequest {
    string sensor_id = 1;    // campo 1
    int32 ultimos_minutos = 2; // campo 2
}

message TemperaturaResponse {
    double valor = 1;
    string unidade = 2;
}

// One reading, as StreamLeituras sends it and as the serialization lesson encodes it.
message LeituraResponse {
    double temperatura = 1;           // 23.5
    string sensor = 2;                // "A1"
    int64 timestamp = 3;              // seconds since 1970-01-01 UTC
    repeated sint32 historico = 4;    // previous readings, tenths of a degree (packed, zigzag)
}

// What EnviarLeituras answers once the client has sent its last reading.
message ResumoLeituras {
    int32 quantidade = 1;
    double media = 2;
    double minima = 3;
    double maxima = 4;
}

// One line of the Conversar chat, in either direction.
message MensagemChat {
    string de = 1;
    string texto = 2;
}

message Sensor {
    string id = 1;
    string local = 2;
    string modelo = 3;
    string unidade = 4;
    string firmware = 5;
    int32 bateria = 6;
    repeated Leitura leituras = 7;
}

message Leitura {
    double valor = 1;
    int64 timestamp = 2;
}
`

/** The service every gRPC lesson serves (no package: its methods' paths are `/SensorService/<Method>`). */
export const SENSOR_SERVICE = 'SensorService'

let root: protobuf.Root | null = null

/** sensor.proto parsed by protobufjs (field names as written), resolved; parsed once. */
export function sensorRoot(): protobuf.Root {
  if (!root) {
    root = protobuf.parse(SENSOR_PROTO, { keepCase: true }).root
    root.resolveAll()
  }
  return root
}
