// Measures one step of the REST vs gRPC vs GraphQL lesson from its events: per API, the bytes each
// way, connections opened, round trips, requests, response bodies and statuses. Pure: the engine
// uses it for its checkpoints and narration, the view for its figures, so both show the same.
import type { Field, LabEvent, PduEvent } from '../events'
import { API_CLIENT, API_IDS, STEP, type ApiId, type StepKey } from './api-compare'

export interface ApiFigures {
  api: ApiId
  /** Bytes the client sent and received on its connections during the step (TCP payload). */
  sent: number
  received: number
  /** Connections the step opened (each costs a TCP handshake). */
  newConnections: number
  /** Connections used. */
  connections: number
  /** Round trips: the client's bursts of bytes that the server answered, plus one per new TCP handshake. */
  roundTrips: number
  /** HTTP requests (REST, GraphQL) or gRPC calls. */
  requests: number
  /** Response bodies: the JSON bodies (REST, GraphQL) or the gRPC messages (prefix included). */
  bodies: number[]
  /** HTTP status of each response, and grpc-status of each gRPC call. */
  statuses: number[]
  grpcStatuses: number[]
  /** Content-Type of each response. */
  mediaTypes: string[]
  /** HTTP version seen (`HTTP/1.1`, `HTTP/2`). */
  transport: string
  /** PDUs that carry each response body (http responses, grpc response messages). */
  responses: PduEvent[]
  requestPdus: PduEvent[]
}

const STEP_KEYS = new Set<string>(Object.values(STEP))

/** The events of the latest run of `step` (from its opening note to the next step's note). */
export function stepEvents(events: readonly LabEvent[], step: StepKey): LabEvent[] {
  let start = -1
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]
    if (e.kind === 'note' && e.key === step) {
      start = i
      break
    }
  }
  if (start < 0) return []
  let end = events.length
  for (let i = start + 1; i < events.length; i++) {
    const e = events[i]
    if ((e.kind === 'note' && STEP_KEYS.has(e.key)) || (e.kind === 'scene' && e.state === 'started')) {
      end = i
      break
    }
  }
  return events.slice(start, end)
}

const header = (p: PduEvent, name: string): string | undefined => {
  const headers = p.fields.find((f) => f.id === 'http.headers')?.children ?? []
  for (const h of headers) {
    const n = h.children?.find((c) => c.id === 'http.header.name')?.value
    if (n?.toLowerCase() === name) return h.children?.find((c) => c.id === 'http.header.value')?.value
  }
  return undefined
}

/** The JSON body field of an HTTP PDU (plain or de-chunked). */
export function jsonBody(p: PduEvent): Field | undefined {
  const find = (fields: Field[]): Field | undefined => {
    for (const f of fields) {
      if (f.name === 'JSON' && f.id !== 'json.member') return f
      const inner =
        f.children && (f.id === 'http.file_data' || f.id === 'http.chunked') ? find(f.children) : undefined
      if (inner) return inner
    }
    return undefined
  }
  return find(p.fields)
}

function bodyLength(p: PduEvent): number {
  const body = p.fields.find((f) => f.id === 'http.file_data' || f.id === 'http.chunked')
  return body ? body.end - body.start : 0
}

/** Which API's client opened each connection (connections may predate a step: keep-alive). */
function owners(events: readonly LabEvent[], clientNodes: Record<ApiId, string>): Map<string, ApiId> {
  const owner = new Map<string, ApiId>()
  for (const e of events)
    if (e.kind === 'conn.open')
      for (const api of API_IDS) if (e.from === clientNodes[api]) owner.set(e.conn, api)
  return owner
}

export function measure(
  events: readonly LabEvent[],
  clientNodes: Record<ApiId, string> = API_CLIENT
): Record<ApiId, ApiFigures> {
  return measureWith(events, owners(events, clientNodes))
}

/** The same for the latest run of `step`, with connections it reused looked up in `all` (the whole log). */
export function measureStep(
  all: readonly LabEvent[],
  step: StepKey,
  clientNodes: Record<ApiId, string> = API_CLIENT
): Record<ApiId, ApiFigures> {
  return measureWith(stepEvents(all, step), owners(all, clientNodes))
}

function measureWith(events: readonly LabEvent[], owner: Map<string, ApiId>): Record<ApiId, ApiFigures> {
  const out = Object.fromEntries(
    API_IDS.map((api): [ApiId, ApiFigures] => [
      api,
      {
        api,
        sent: 0,
        received: 0,
        newConnections: 0,
        connections: 0,
        roundTrips: 0,
        requests: 0,
        bodies: [],
        statuses: [],
        grpcStatuses: [],
        mediaTypes: [],
        transport: '',
        responses: [],
        requestPdus: []
      }
    ])
  ) as Record<ApiId, ApiFigures>
  const used = new Map<ApiId, Set<string>>()
  const lastDir = new Map<string, string>()
  for (const e of events) {
    const api = 'conn' in e && e.conn !== undefined ? owner.get(e.conn) : undefined
    if (!api) continue
    const f = out[api]
    if (e.kind === 'conn.open') {
      f.newConnections++
      f.roundTrips++
    } else if (e.kind === 'bytes') {
      if (!used.has(api)) used.set(api, new Set())
      used.get(api)!.add(e.conn)
      if (e.dir === 'c2s') f.sent += e.data.length
      else {
        f.received += e.data.length
        if (lastDir.get(e.conn) === 'c2s') f.roundTrips++
      }
      lastDir.set(e.conn, e.dir)
    } else if (e.kind === 'pdu' && !e.modeled) {
      if (e.protocol === 'http') {
        f.transport = 'HTTP/1.1'
        if (e.dir === 'c2s') {
          f.requests++
          f.requestPdus.push(e)
        } else {
          const status = Number(e.keys?.status ?? /^HTTP\/1\.1 (\d{3})/.exec(e.summary)?.[1] ?? 0)
          f.statuses.push(status)
          f.mediaTypes.push(header(e, 'content-type') ?? '')
          f.bodies.push(bodyLength(e))
          f.responses.push(e)
        }
      } else if (e.protocol === 'http2') {
        f.transport = 'HTTP/2'
        if (e.dir === 's2c' && e.keys?.type === 'HEADERS' && typeof e.keys.status === 'number')
          f.statuses.push(e.keys.status)
      } else if (e.protocol === 'grpc') {
        if (e.keys?.grpc === 'call') {
          f.requests++
          f.requestPdus.push(e)
        } else if (e.keys?.grpc === 'message' && e.dir === 's2c') {
          f.bodies.push(e.data.length)
          f.responses.push(e)
        } else if (e.keys?.grpc === 'status' && typeof e.keys.status === 'number')
          f.grpcStatuses.push(e.keys.status)
        else if (e.keys?.grpc === 'headers') f.mediaTypes.push('application/grpc')
      }
    }
  }
  for (const api of API_IDS) out[api].connections = used.get(api)?.size ?? 0
  return out
}

/** Share of bytes in `data` that are readable text (printable ASCII, tab/newline, valid UTF-8): what `curl` shows readably. */
export function printableShare(data: Uint8Array): number {
  if (!data.length) return 1
  let ok = 0
  let i = 0
  while (i < data.length) {
    const b = data[i]
    if ((b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09) {
      ok++
      i++
      continue
    }
    // A valid multi-byte UTF-8 sequence counts as text.
    const n = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0
    let valid = n > 0 && i + n <= data.length
    for (let k = 1; valid && k < n; k++) valid = (data[i + k] & 0xc0) === 0x80
    if (valid) {
      ok += n
      i += n
    } else i++
  }
  return ok / data.length
}
