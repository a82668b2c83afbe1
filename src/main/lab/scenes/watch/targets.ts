// What watch mode knows about a target: where it is, whether Wirelab may reach it, which protocol a
// well-known port suggests, and how to start the course's own server there when nothing listens.
import net from 'node:net'
import type { Localized } from '../../../../shared/events'
import type { ViewId } from '../../../../shared/scene'

export interface Target {
  host: string
  port: number
}

/** Parses `host:port`, `:port` or `port` (host defaults to 127.0.0.1). Throws a readable error. */
export function parseTarget(text: string): Target {
  const t = text.trim()
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(t) ?? /^()()(\d+)$/.exec(t)
  if (!m) throw new Error(`"${text}" is not host:port (for example 127.0.0.1:8000)`)
  const host = (m[1] || m[2] || '127.0.0.1').trim()
  const port = Number(m[3])
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`port ${m[3]} is not between 1 and 65535`)
  return { host, port }
}

/** True for addresses of this machine's loopback interface. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase()
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true
  return net.isIPv4(h) && h.startsWith('127.')
}

/** What the course runs on a well-known port: the protocol to try first, its views, how to start it. */
export interface PortKnowledge {
  protocol: string
  views: ViewId[]
  start?: { tcp?: string; udp?: string }
  what: Localized
}

export const KNOWN_PORTS: Record<number, PortKnowledge> = {
  65432: {
    protocol: 'tcp',
    views: ['sequence', 'bytes', 'packets'],
    start: { tcp: 'python3 tcp_server.py', udp: 'python3 udp_server.py' },
    what: { en: 'the course\'s echo server', pt: 'o servidor de eco do curso' }
  },
  8000: {
    protocol: 'http',
    views: ['sequence', 'bytes', 'packets'],
    start: { tcp: 'uvicorn main:app --port 8000   (or: python3 -m http.server 8000)' },
    what: { en: 'the course\'s FastAPI app', pt: 'o app FastAPI do curso' }
  },
  8765: {
    protocol: 'websocket',
    views: ['frames', 'sequence', 'bytes', 'packets'],
    start: { tcp: 'python3 ws_server.py' },
    what: { en: 'the course\'s WebSocket chat server', pt: 'o servidor de chat WebSocket do curso' }
  },
  1883: {
    protocol: 'mqtt',
    views: ['fanout', 'sequence', 'bytes', 'packets'],
    start: { tcp: 'mosquitto -p 1883' },
    what: { en: 'an MQTT broker', pt: 'um broker MQTT' }
  },
  8080: {
    protocol: 'http2',
    views: ['streams', 'sequence', 'bytes', 'packets'],
    what: { en: 'an HTTP/2 (h2c) server', pt: 'um servidor HTTP/2 (h2c)' }
  },
  8443: {
    protocol: 'tls',
    views: ['tls', 'sequence', 'bytes', 'packets'],
    what: { en: 'an HTTPS server', pt: 'um servidor HTTPS' }
  },
  443: {
    protocol: 'tls',
    views: ['tls', 'sequence', 'bytes', 'packets'],
    what: { en: 'an HTTPS server', pt: 'um servidor HTTPS' }
  },
  80: {
    protocol: 'http',
    views: ['sequence', 'bytes', 'packets'],
    what: { en: 'an HTTP server', pt: 'um servidor HTTP' }
  }
}

/** What to tell someone whose target refused the connection. */
export function startHint(target: Target, transport: 'tcp' | 'udp'): Localized | undefined {
  const k = KNOWN_PORTS[target.port]
  const cmd = k?.start?.[transport]
  if (!cmd) return { en: `Start your program so it listens on ${target.host}:${target.port}, then try again.`, pt: `Inicie seu programa para que escute em ${target.host}:${target.port} e tente de novo.` }
  return {
    en: `Start ${k.what.en} first, for example: ${cmd}`,
    pt: `Inicie ${k.what.pt} primeiro, por exemplo: ${cmd}`
  }
}
