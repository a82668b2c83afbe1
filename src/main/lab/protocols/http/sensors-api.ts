// The sensors as a REST API (JSON over HTTP/1.1), items-style: the resource returns every field it
// has, whatever the client needs (over-fetching), and a related resource has its own URL
// (under-fetching: one more request per sensor).
//   GET /sensores                       [{id, local, href}]
//   GET /sensores/{id}                  the sensor, all fields, its 3 latest readings
//   GET /sensores/{id}/leituras?ultimas=N
import { SENSORES, findSensor, withLatest } from '../common/sensor-data'
import type { Req, Res } from './server'

function send(res: Res, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

/** Handles `/sensores…`; returns false for other paths. */
export function sensorsApi(req: Req, res: Res): boolean {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const parts = url.pathname.split('/').filter(Boolean)
  if (parts[0] !== 'sensores') return false
  if (req.method !== 'GET') {
    send(res, 405, { erro: `método ${req.method} não permitido` })
    return true
  }
  if (parts.length === 1) {
    send(
      res,
      200,
      SENSORES.map((s) => ({ id: s.id, local: s.local, href: `/sensores/${s.id}` }))
    )
    return true
  }
  const s = findSensor(decodeURIComponent(parts[1]))
  if (!s) {
    send(res, 404, { erro: `sensor "${parts[1]}" não encontrado` })
    return true
  }
  const raw = url.searchParams.get('ultimas')
  const n = raw === null ? 3 : Number(raw)
  if (!Number.isInteger(n) || n < 0) {
    send(res, 400, { erro: `ultimas deve ser um número inteiro, recebi "${raw}"` })
    return true
  }
  if (parts.length === 2) send(res, 200, withLatest(s, n))
  else if (parts[2] === 'leituras' && parts.length === 3) send(res, 200, withLatest(s, n).leituras)
  else send(res, 404, { erro: `recurso ${url.pathname} não existe` })
  return true
}
