// Redis serialization protocol (`resp`), RESP2 and RESP3: client commands (arrays of bulk strings,
// or inline text lines) and server replies of every type, each value with the ranges of its type
// byte, header, data and elements. Commands and replies are paired in order (`keys.index`), which
// is what MONITOR cannot show: the reply to each command, with its size and timing.
import type { Direction, Field } from '../../../../shared/events'
import { RESP, RESP_TYPES, REDIS_PORT } from '../../../../shared/protocols/resp'
import { field, printable } from '../../dissect/fields'
import { framed, type Decoded, type LengthResult } from '../../dissect/reassembly'
import type { DissectorDef, StreamDissector } from '../../dissect/types'
import { DissectError } from '../common/reader'
import { Incomplete, MAX_INLINE, parseInline, parseValue, type RespNode } from './value'

export const RESP_PORTS = [REDIS_PORT]

interface RespState {
  pending: { cmd: string; index: number; args: string[] }[]
  count: number
  /** 2 until a HELLO 3 is answered with a map. */
  resp: number
  /** Redis refused a cross-protocol request and closed: it never processes what follows. */
  refused: boolean
}

const text = (buf: Uint8Array, start: number, end: number): string => new TextDecoder().decode(buf.subarray(start, end))
const clip = (s: string, n = 40): string => (s.length > n ? s.slice(0, n) + '…' : s)

/** How a value reads in one line. */
function shown(buf: Uint8Array, n: RespNode): string {
  switch (n.type) {
    case '$':
    case '!':
    case ';':
      return n.streamed ? `streamed string (${n.items?.length ?? 0} chunks)` : n.count === -1 ? 'nil' : JSON.stringify(clip(text(buf, n.data!.start, n.data!.end)))
    case '=':
      return JSON.stringify(clip(text(buf, n.data!.start + 4, n.data!.end)))
    case '*':
    case '~':
    case '>':
      return n.count === -1 ? 'nil' : `[${n.streamed ? '?' : n.count}] ${(n.items ?? []).slice(0, 4).map((i) => shown(buf, i)).join(', ')}${(n.items?.length ?? 0) > 4 ? ', …' : ''}`
    case '%': {
      const it = n.items ?? []
      const pairs: string[] = []
      for (let i = 0; i + 1 < it.length && pairs.length < 3; i += 2) pairs.push(`${shown(buf, it[i])}: ${shown(buf, it[i + 1])}`)
      return `{${n.streamed ? '?' : n.count} pairs} ${pairs.join(', ')}${it.length > 6 ? ', …' : ''}`
    }
    case '_':
      return 'null'
    case '#':
      return n.head === 't' ? 'true' : 'false'
    default:
      return n.head
  }
}

const lineEnd = (n: RespNode): number => n.headerEnd - 2

/** The field tree of one value. */
function valueField(buf: Uint8Array, n: RespNode, label: string): Field {
  const info = RESP_TYPES[n.type]
  const children: Field[] = []
  if (n.attribute) children.push(valueField(buf, n.attribute, 'Attribute (metadata about the reply)'))
  children.push(field('Type', n.start, n.start + 1, `'${n.type}' (${info?.name ?? n.type}${info?.resp3 ? ', RESP3' : ''})`, { id: RESP.typeByte }))
  const head = (name: string, id: string, value = n.head): void => {
    children.push(field(name, n.start + 1, lineEnd(n), value, { id }), field('CRLF', lineEnd(n), n.headerEnd, '\\r\\n', { id: RESP.crlf }))
  }
  if (n.streamed) {
    head('Length', RESP.arrayLength, '? (streamed: parts until the terminator)')
    ;(n.items ?? []).forEach((it, i) => children.push(valueField(buf, it, it.type === '.' ? 'End' : `Part ${i + 1}`)))
  } else if (n.data) {
    head('Length', RESP.bulkLength, `${n.count} bytes`)
    if (n.type === '=') {
      children.push(
        field('Format', n.data.start, n.data.start + 3, text(buf, n.data.start, n.data.start + 3), { id: RESP.verbatimFormat }),
        field('Text', n.data.start + 4, n.data.end, JSON.stringify(printable(buf.subarray(n.data.start + 4, n.data.end), 200)), { id: RESP.bulkValue })
      )
    } else children.push(field('Data', n.data.start, n.data.end, JSON.stringify(printable(buf.subarray(n.data.start, n.data.end), 200)), { id: n.type === '!' ? RESP.error : RESP.bulkValue }))
    children.push(field('CRLF', n.data.end, n.end, '\\r\\n', { id: RESP.crlf }))
  } else if (n.items) {
    head(n.type === '%' || n.type === '|' ? 'Pairs' : 'Count', RESP.arrayLength, `${n.count}`)
    if (n.type === '%' || n.type === '|') {
      for (let i = 0; i + 1 < n.items.length; i += 2) {
        const k = n.items[i]
        const v = n.items[i + 1]
        children.push(field(`${shown(buf, k)} →`, k.start, v.end, shown(buf, v), { id: RESP.element, children: [valueField(buf, k, 'Key'), valueField(buf, v, 'Value')] }))
      }
    } else n.items.forEach((it, i) => children.push(valueField(buf, it, `[${i}]`)))
  } else if (n.count === -1) {
    head('Length', RESP.null, '-1 (nil)')
  } else {
    const id = n.type === '-' ? RESP.error : n.type === ':' ? RESP.integer : n.type === ',' ? RESP.double : n.type === '#' ? RESP.boolean : n.type === '(' ? RESP.bignum : n.type === '_' ? RESP.null : RESP.string
    head('Value', id, shown(buf, n))
  }
  return field(label, n.attribute ? n.attribute.start : n.start, n.end, shown(buf, n), { children })
}

function decodeCommand(pdu: Uint8Array, state: RespState): Decoded {
  const inline = pdu[0] !== 0x2a
  const node = inline ? parseInline(pdu, 0) : parseValue(pdu, 0, true)
  let args: string[]
  const fields: Field[] = []
  if (inline) {
    const words = node.words ?? []
    args = words.map((w) => w.text)
    fields.push(
      field('Inline command', 0, pdu.length, node.head, {
        id: RESP.inline,
        children: [...words.map((w, i) => field(i === 0 ? 'Command' : `Argument ${i}`, w.start, w.end, JSON.stringify(w.text), { id: RESP.string })), field('End of line', node.end - (pdu[node.end - 2] === 0x0d ? 2 : 1), node.end, '\\n', { id: RESP.crlf })]
      })
    )
  } else {
    args = (node.items ?? []).map((i) => (i.data ? text(pdu, i.data.start, i.data.end) : ''))
    const f = valueField(pdu, node, 'Command')
    f.id = RESP.command
    // Name the elements for what they are in a command.
    f.children = f.children?.map((c) => (/^\[\d+\]$/.test(c.name) ? { ...c, name: c.name === '[0]' ? 'Command name' : `Argument ${c.name.slice(1, -1)}` } : c))
    fields.push(f)
  }
  const cmd = (args[0] ?? '').toUpperCase()
  if (inline && args.length === 0)
    return { summary: 'Inline empty line (Redis skips it)', fields, keys: { kind: 'command', inline: true } }
  const index = ++state.count
  state.pending.push({ cmd, index, args })
  const keys: Record<string, string | number | boolean> = { kind: 'command', cmd, args: Math.max(0, args.length - 1), index, resp: state.resp }
  if (args.length > 1) keys.key = args[1]
  if (inline) keys.inline = true
  const summary = `${inline ? 'Inline ' : ''}${[cmd, ...args.slice(1).map((a) => (/^[\w:.-]{1,40}$/.test(a) ? a : JSON.stringify(clip(a, 24))))].join(' ')}`
  // Redis refuses commands that look like an HTTP request sent to it (a cross-protocol attack).
  if (inline && (cmd === 'POST' || cmd === 'HOST:')) {
    state.refused = true
    const reason = `Redis reads "${args[0]}" as an HTTP request sent to Redis, logs "Possible SECURITY ATTACK detected" and closes the connection`
    return { summary: `${summary} — refused: cross-protocol attack`, fields: [...fields, field('Refused', 0, pdu.length, reason, { malformed: reason })], keys, malformed: { reason, start: 0, end: pdu.length } }
  }
  return { summary, fields, keys }
}

function decodeReply(pdu: Uint8Array, state: RespState): Decoded {
  const node = parseValue(pdu, 0)
  const push = node.type === '>' || (state.pending.length === 0 && node.type === '*' && /^"(p|s)?message"$/.test(shown(pdu, node.items?.[0] ?? node)))
  const keys: Record<string, string | number | boolean> = { kind: push ? 'push' : 'reply', type: RESP_TYPES[node.type]?.name ?? node.type, resp: state.resp }
  let cmd = ''
  if (!push) {
    const req = state.pending.shift()
    if (req) {
      cmd = req.cmd
      keys.cmd = req.cmd
      keys.index = req.index
      if (req.cmd === 'HELLO' && node.type === '%') state.resp = Number(req.args[1]) === 3 ? 3 : 2
    }
  }
  if ((node.type === '$' || node.type === '*') && node.count === -1) keys.nil = true
  if (node.type === '_') keys.nil = true
  if (node.type === '-' || node.type === '!') keys.error = node.data ? text(pdu, node.data.start, node.data.end) : node.head
  const f = valueField(pdu, node, push ? 'Push' : 'Reply')
  f.id = RESP.reply
  const head = node.data || node.items ? `${node.type}${node.streamed ? '?' : node.count}` : `${node.type}${node.head}`
  const scalar = !node.data && !node.items
  const what = keys.nil ? `${head} (nil)${cmd === 'GET' ? ': not in the cache' : ''}` : scalar ? head : `${head} ${shown(pdu, node)}`
  const attr = node.attribute ? ' (with an attribute)' : ''
  return { summary: `${push ? 'Push ' : cmd ? `${cmd} → ` : ''}${clip(what, 90)}${attr}`, fields: [f], keys }
}

export function respPduLength(buf: Uint8Array, dir: Direction): LengthResult {
  try {
    const node = dir === 'c2s' && buf[0] !== 0x2a ? parseInline(buf, 0) : parseValue(buf, 0, dir === 'c2s')
    return node.end
  } catch (err) {
    if (err instanceof Incomplete) return 'more'
    if (err instanceof DissectError) return { malformed: `${err.reason} (Redis answers with an error and closes the connection)` }
    throw err
  }
}

/** Lines sent after a refused cross-protocol request, one by one: Redis never processes them. */
function afterRefusal(buf: Uint8Array): LengthResult {
  const nl = buf.indexOf(0x0a)
  const reason = 'sent after the refused request: Redis has closed the connection and never processes these bytes'
  if (nl >= 0) return { malformed: reason, length: nl + 1 }
  return buf.length > MAX_INLINE ? { malformed: reason } : 'more'
}

export function createRespDissector(): StreamDissector {
  return framed<RespState>({
    protocol: 'resp',
    state: () => ({ pending: [], count: 0, resp: 2, refused: false }),
    pduLength: (buf, dir, state) => (dir === 'c2s' && state.refused ? afterRefusal(buf) : respPduLength(buf, dir)),
    decode: (pdu, dir, state) => (dir === 'c2s' ? decodeCommand(pdu, state) : decodeReply(pdu, state)),
    maxPdu: 8 * 1024 * 1024
  })
}

/** RESP from its first bytes: a command array of bulk strings, or a typed reply. Never throws. */
export function looksLike(first: Uint8Array, dir: Direction): number {
  if (first.length < 4) return 0
  const s = String.fromCharCode(...first.subarray(0, Math.min(first.length, 16)))
  if (dir === 'c2s') return /^\*[1-9]\d{0,6}\r\n\$\d{1,9}\r\n/.test(s) ? 1 : /^\*[1-9]\d{0,6}\r\n/.test(s) ? 0.6 : /^(PING|INFO|HELLO|AUTH|SELECT)\b/i.test(s) ? 0.5 : 0
  if (/^[+-][A-Za-z]/.test(s) && s.includes('\r\n')) return 0.6
  if (/^[$*%:>~|]-?\d{1,9}\r\n/.test(s)) return 0.8
  return 0
}

export const respDef: DissectorDef = {
  id: 'resp',
  name: 'Redis serialization protocol (RESP2, RESP3)',
  transport: 'tcp',
  ports: RESP_PORTS,
  looksLike,
  create: createRespDissector
}
