// The course's SensorService as a real @grpc/grpc-js server on a hidden loopback port, with server
// reflection (so grpcurl, grpcui or Postman can discover it): GetTemperatura (unary),
// StreamLeituras (server streaming, one reading per interval), EnviarLeituras (client streaming:
// a summary once the client half-closes), Conversar (bidirectional: one answer per message) and
// GetSensor (a sensor with its latest readings). An unknown sensor id fails with NOT_FOUND.
import * as grpc from '@grpc/grpc-js'
import { ReflectionService } from '@grpc/reflection'
import { LOOPBACK } from '../../net/ports'
import { SENSORES, findSensor, liveReading, withLatest } from '../common/sensor-data'
import {
  sensorPackage,
  sensorService,
  type LeituraResponse,
  type MensagemChat,
  type ResumoLeituras,
  type Sensor,
  type SensorRequest,
  type TemperaturaResponse
} from './package'

export interface SensorServerOptions {
  /** Milliseconds between two StreamLeituras messages. */
  intervalMs: number
}

const known = SENSORES.map((s) => s.id).join(', ')

function notFound(id: string): grpc.ServiceError {
  const details = `sensor "${id}" não encontrado (sensores: ${known})`
  return Object.assign(new Error(details), {
    code: grpc.status.NOT_FOUND,
    details,
    metadata: new grpc.Metadata()
  })
}

/** How many readings a request asks for: `ultimos_minutos`, one per minute (default 5, at most 100). */
export const readingsAsked = (r: SensorRequest): number => Math.max(1, Math.min(100, r.ultimos_minutos || 5))

/** What Conversar answers to one message: a sensor's reading when it names one; otherwise (and for long texts) an echo. */
export function chatAnswer(texto: string): string {
  if (texto.length > 200) return `recebi: ${texto}`
  const s = SENSORES.find((x) => new RegExp(`\\b${x.id}\\b`, 'i').test(texto))
  if (s) return `${s.id} (${s.local}): ${s.leituras[0].valor} ${s.unidade}`
  return `recebi: ${texto}`
}

function handlers(opts: () => SensorServerOptions): grpc.UntypedServiceImplementation {
  return {
    GetTemperatura(
      call: grpc.ServerUnaryCall<SensorRequest, TemperaturaResponse>,
      cb: grpc.sendUnaryData<TemperaturaResponse>
    ) {
      const s = findSensor(call.request.sensor_id)
      if (!s) return cb(notFound(call.request.sensor_id))
      cb(null, { valor: s.leituras[0].valor, unidade: s.unidade })
    },
    StreamLeituras(call: grpc.ServerWritableStream<SensorRequest, LeituraResponse>) {
      const s = findSensor(call.request.sensor_id)
      if (!s) {
        call.emit('error', notFound(call.request.sensor_id))
        return
      }
      const n = readingsAsked(call.request)
      let i = 0
      let timer: ReturnType<typeof setTimeout> | null = null
      call.on('cancelled', () => {
        if (timer) clearTimeout(timer)
      })
      const next = (): void => {
        if (call.cancelled) return
        const r = liveReading(s, i)
        call.write({ temperatura: r.valor, sensor: s.id, timestamp: r.timestamp, historico: r.historico })
        if (++i >= n) call.end()
        else timer = setTimeout(next, opts().intervalMs)
      }
      next()
    },
    EnviarLeituras(
      call: grpc.ServerReadableStream<LeituraResponse, ResumoLeituras>,
      cb: grpc.sendUnaryData<ResumoLeituras>
    ) {
      const values: number[] = []
      call.on('data', (r: LeituraResponse) => values.push(r.temperatura))
      call.on('error', () => undefined)
      call.on('end', () => {
        const n = values.length
        const round = (v: number): number => Math.round(v * 100) / 100
        cb(null, {
          quantidade: n,
          media: n ? round(values.reduce((a, b) => a + b, 0) / n) : 0,
          minima: n ? Math.min(...values) : 0,
          maxima: n ? Math.max(...values) : 0
        })
      })
    },
    Conversar(call: grpc.ServerDuplexStream<MensagemChat, MensagemChat>) {
      call.on('data', (m: MensagemChat) => {
        if (!call.cancelled) call.write({ de: 'servidor', texto: chatAnswer(m.texto) })
      })
      call.on('error', () => undefined)
      call.on('end', () => call.end())
    },
    GetSensor(call: grpc.ServerUnaryCall<SensorRequest, Sensor>, cb: grpc.sendUnaryData<Sensor>) {
      const s = findSensor(call.request.sensor_id)
      if (!s) return cb(notFound(call.request.sensor_id))
      cb(null, withLatest(s, call.request.ultimos_minutos || 3))
    }
  }
}

export interface RunningGrpcServer {
  server: grpc.Server
  port: number
  /** Stops at once (open calls are cancelled). */
  close(cb?: () => void): void
}

export async function startSensorServer(opts: () => SensorServerOptions): Promise<RunningGrpcServer> {
  const server = new grpc.Server()
  server.addService(sensorService(), handlers(opts))
  new ReflectionService(sensorPackage()).addToServer(server)
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${LOOPBACK}:0`, grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p)
    )
  )
  return {
    server,
    port,
    close(cb) {
      server.forceShutdown()
      cb?.()
    }
  }
}
