// sensor.proto as grpc-js sees it: one package definition (from the embedded .proto, no file
// needed at run time) shared by the server, its reflection service and the built-in clients.
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import type { SensorRecord } from '../common/sensor-data'
import { SENSOR_SERVICE, sensorRoot } from '../common/sensor-proto'

// The messages as the lessons' code sees them (proto-loader: names as written, int64 as numbers).
export interface SensorRequest {
  sensor_id: string
  ultimos_minutos: number
}
export interface TemperaturaResponse {
  valor: number
  unidade: string
}
export interface LeituraResponse {
  temperatura: number
  sensor: string
  timestamp: number
  historico: number[]
}
export interface ResumoLeituras {
  quantidade: number
  media: number
  minima: number
  maxima: number
}
export interface MensagemChat {
  de: string
  texto: string
}
/** A sensor with its readings: the same record REST and GraphQL serve. */
export type Sensor = SensorRecord

export type MethodName = 'GetTemperatura' | 'StreamLeituras' | 'EnviarLeituras' | 'Conversar' | 'GetSensor'

let pkg: protoLoader.PackageDefinition | null = null

export function sensorPackage(): protoLoader.PackageDefinition {
  return (pkg ??= protoLoader.fromJSON(sensorRoot().toJSON(), {
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true
  }))
}

export function sensorService(): ServiceDefinition {
  return sensorPackage()[SENSOR_SERVICE] as ServiceDefinition
}

export function method<Req, Res>(name: MethodName): MethodDefinition<Req, Res> {
  return sensorService()[name] as MethodDefinition<Req, Res>
}
