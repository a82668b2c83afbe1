// What curl gets from the course's other binary ports, for contrast with Thrift's. Each entry is
// data: the lesson that teaches the protocol, its course port, the dissector for the tap, and how
// to start its real server for a moment. A lesson that brings a binary protocol (AMQP, ZeroMQ,
// Postgres, Redis…) adds one entry here.
import type { Localized } from '../../../../shared/events'
import { startBroker } from '../../protocols/mqtt/server'
import { startH2cServer } from '../../protocols/http2/server'
import { itemsHandler } from '../../protocols/http/server'
import { hmsIdl } from '../../protocols/thrift/idl'
import { hmsHandler } from '../../protocols/thrift/hms'
import { startThriftServer } from '../../protocols/thrift/server'

export interface CurlContrast {
  id: string
  /** The lesson that teaches this protocol. */
  lesson: string
  label: Localized
  /** The course's port for it. */
  port: number
  /** Dissector for the tap in front of it. */
  dissector: string
  start(): Promise<{ port: number; close(): Promise<void> | void }>
}

export const CURL_CONTRASTS: CurlContrast[] = [
  {
    id: 'thrift-lenient',
    lesson: 'thrift',
    label: { en: 'Thrift, lenient reader (npm thrift default)', pt: 'Thrift, leitor tolerante (padrão do npm thrift)' },
    port: 9083,
    dissector: 'thrift',
    async start() {
      const s = await startThriftServer({ idl: hmsIdl(), handler: hmsHandler(), protocol: 'binary', transport: 'buffered', strict: false })
      return { port: s.port, close: () => closeServer(s.server) }
    }
  },
  {
    id: 'mqtt',
    lesson: 'mqtt',
    label: { en: 'MQTT broker (aedes)', pt: 'Broker MQTT (aedes)' },
    port: 1883,
    dissector: 'mqtt',
    async start() {
      const b = await startBroker()
      return { port: b.port, close: () => b.close() }
    }
  },
  {
    id: 'h2c',
    lesson: 'http2',
    label: { en: 'HTTP/2 without TLS (node:http2)', pt: 'HTTP/2 sem TLS (node:http2)' },
    port: 8080,
    dissector: 'http2',
    async start() {
      const s = await startH2cServer(itemsHandler())
      return { port: s.port, close: () => closeServer(s.server) }
    }
  }
]

function closeServer(server: { close(cb?: () => void): unknown }): Promise<void> {
  return new Promise<void>((resolve) => {
    try {
      server.close(() => resolve())
    } catch {
      resolve()
    }
  })
}
