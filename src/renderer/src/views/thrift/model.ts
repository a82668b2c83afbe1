// The Thrift lesson from the log: the calls and their replies (paired by connection and seqid),
// and the curl moments — what the server made of curl's bytes, whether it closed or waited, and
// what curl printed — for the Thrift port and for the other binary ports it was sent to.
import type { ConnOpenEvent, Field, LabEvent, PduEvent } from '@shared/events'
import { THRIFT } from '@shared/protocols/thrift'

export interface ThriftCall {
  call: PduEvent
  reply?: PduEvent
  method: string
  seqid: number
}

export interface CurlMoment {
  /** The sample's subject: `metastore`, or the contrast entry (`thrift-lenient`, `mqtt`, `h2c`…). */
  subject: string
  /** Who was curled (the node's label). */
  label: string
  conn?: string
  /** curl's request as the tap saw it, and what the server's dissector made of it. */
  request?: PduEvent
  rejected?: PduEvent
  /** Bytes the server sent back. */
  replyBytes: number
  closedBy?: 'client' | 'server' | 'wirelab'
  /** The server's own words when it rejected the bytes (a note). */
  serverSaid?: string
  curl?: { exit: number; message: string; ms: number; tool: string }
}

export interface ThriftModel {
  calls: ThriftCall[]
  curls: CurlMoment[]
}

export function buildThrift(events: readonly LabEvent[]): ThriftModel {
  const calls: ThriftCall[] = []
  const open = new Map<string, ThriftCall>()
  const conns = new Map<string, ConnOpenEvent>()
  const labels = new Map<string, string>()
  const curlConns: { conn: string; to: string; t: number }[] = []
  const moments: CurlMoment[] = []
  const replyBytes = new Map<string, number>()
  const firstPdu = new Map<string, PduEvent>()
  const closedBy = new Map<string, 'client' | 'server' | 'wirelab'>()
  let lastReject: string | undefined
  for (const e of events) {
    switch (e.kind) {
      case 'node':
        labels.set(e.node, e.label)
        break
      case 'conn.open':
        conns.set(e.conn, e)
        if (e.from === 'curl') curlConns.push({ conn: e.conn, to: e.to, t: e.t })
        break
      case 'conn.close':
        closedBy.set(e.conn, e.by)
        break
      case 'bytes':
        if (e.dir === 's2c') replyBytes.set(e.conn, (replyBytes.get(e.conn) ?? 0) + e.data.length)
        break
      case 'note':
        if (e.key === 'thrift.reject') lastReject = e.text.en.match(/\("([^"]*)"\)/)?.[1]
        break
      case 'pdu': {
        if (e.modeled) break
        if (!firstPdu.has(`${e.conn}/${e.dir}`)) firstPdu.set(`${e.conn}/${e.dir}`, e)
        if (e.protocol !== 'thrift' || e.malformed) break
        const k = e.keys ?? {}
        const key = `${e.conn}/${k.seqid}/${k.method}`
        if (k.mtype === 'CALL' || k.mtype === 'ONEWAY') {
          const c: ThriftCall = { call: e, method: String(k.method), seqid: Number(k.seqid) }
          calls.push(c)
          open.set(key, c)
        } else {
          const c = open.get(key)
          if (c && !c.reply) c.reply = e
        }
        break
      }
      case 'sample': {
        if (e.series !== 'curl') break
        // The curl connection this sample reports: the latest one opened before it.
        const cc = curlConns.filter((c) => c.t <= e.t).at(-1)
        const request = cc ? firstPdu.get(`${cc.conn}/c2s`) : undefined
        moments.push({
          subject: e.subject,
          label: cc ? (labels.get(cc.to) ?? cc.to) : e.subject,
          ...(cc ? { conn: cc.conn } : {}),
          ...(request ? { request } : {}),
          ...(request?.malformed ? { rejected: request } : {}),
          replyBytes: cc ? (replyBytes.get(cc.conn) ?? 0) : 0,
          ...(cc && closedBy.has(cc.conn) ? { closedBy: closedBy.get(cc.conn) } : {}),
          ...(e.subject === 'metastore' && lastReject ? { serverSaid: lastReject } : {}),
          curl: {
            exit: Number(e.values.exit),
            message: String(e.values.message),
            ms: Number(e.values.ms),
            tool: String(e.values.tool)
          }
        })
        break
      }
    }
  }
  // A curl still running (no sample yet): its connection and what the server made of it so far.
  const reported = new Set(moments.map((m) => m.conn))
  for (const cc of curlConns)
    if (!reported.has(cc.conn)) {
      const request = firstPdu.get(`${cc.conn}/c2s`)
      moments.push({
        subject: cc.to === 'metastore' ? 'metastore' : cc.to.replace(/^contrast-/, ''),
        label: labels.get(cc.to) ?? cc.to,
        conn: cc.conn,
        ...(request ? { request } : {}),
        ...(request?.malformed ? { rejected: request } : {}),
        replyBytes: replyBytes.get(cc.conn) ?? 0,
        ...(closedBy.has(cc.conn) ? { closedBy: closedBy.get(cc.conn) } : {}),
        ...(cc.to === 'metastore' && lastReject ? { serverSaid: lastReject } : {})
      })
    }
  return { calls, curls: moments }
}

const FIELD_NAME = /^(.*) \((-?\d+): (\w+)\)$/

/** A struct field's value written out from its nested fields: `{message: "…"}`. */
function compact(f: Field, depth = 0): string {
  const m = f.name.match(FIELD_NAME)
  if (!m || m[3] !== 'struct' || depth > 3) return f.value ?? ''
  const inner = f.children?.find((c) => c.id?.endsWith('.value'))?.children ?? []
  const parts = inner
    .filter((c) => !c.id?.endsWith('.stop'))
    .map((c) => `${c.name.match(FIELD_NAME)?.[1] ?? c.name}: ${compact(c, depth + 1)}`)
  return `{${parts.join(', ')}}`
}

/** The IDL-named fields of a message body (`thrift.args`, `thrift.result`): name, id, type, value. */
export function bodyFields(
  p: PduEvent
): { name: string; id: string; type: string; value: string; field: Field }[] {
  const body = p.fields.find(
    (f) => f.id === THRIFT.args || f.id === THRIFT.result || f.id === THRIFT.exception
  )
  return (body?.children ?? [])
    .filter((f) => !f.id?.endsWith('.stop'))
    .map((f) => {
      const m = f.name.match(FIELD_NAME)
      return { name: m ? m[1] : f.name, id: m ? m[2] : '?', type: m ? m[3] : '', value: compact(f), field: f }
    })
}
