// The course's `sensor.proto` (seed 001, "gRPC"), the one contract every lesson that speaks
// Protobuf uses: the serialization lesson encodes its LeituraResponse, the gRPC lesson serves its
// SensorService, the REST vs gRPC vs GraphQL lesson calls GetSensor. Read from
// `resources/sensor.proto`, the very file students compile with protoc: one copy, no other.
import protobuf from 'protobufjs'
import { resourceText } from '../../resources'

export const SENSOR_PROTO = resourceText('sensor.proto')

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
