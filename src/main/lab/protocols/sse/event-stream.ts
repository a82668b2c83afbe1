// The text/event-stream format (HTML Living Standard, "Server-sent events"): lines of
// "field: value"; "data:", "event:", "id:" and "retry:" fields; lines starting with ":" are
// comments (heartbeats); a blank line dispatches the event. A pure parser with byte offsets, used
// by both the dissector (for field ranges) and the built-in EventSource-like client.

export type SseLineKind = 'data' | 'event' | 'id' | 'retry' | 'comment' | 'blank' | 'other'

export interface SseLine {
  kind: SseLineKind
  /** Field name as written (for `other`). */
  name: string
  value: string
  /** Byte offsets of the whole line including its terminator, relative to the pushed bytes. */
  start: number
  end: number
  /** Where the value starts (after "name:" and one optional space). */
  valueStart: number
  /** End of the value (before CR/LF). */
  valueEnd: number
}

export interface SseEvent {
  type: string
  data: string
  /** The last event id after this event (the stream's "last event ID buffer"). */
  lastEventId: string
  /** True when this event carried its own `id:` line. */
  hasId: boolean
}

const decoder = new TextDecoder()

/** Splits complete lines out of `buf`; returns them and how many bytes were consumed. */
export function splitLines(buf: Uint8Array): { lines: SseLine[]; consumed: number } {
  const lines: SseLine[] = []
  let at = 0
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] !== 0x0a) continue
    const end = i + 1
    const textEnd = i > at && buf[i - 1] === 0x0d ? i - 1 : i
    lines.push(parseLine(buf, at, textEnd, end))
    at = end
  }
  return { lines, consumed: at }
}

/** Lines out of a byte stream read in chunks: a line cut by a chunk boundary waits for the rest. */
export class LineSplitter {
  private pending = new Uint8Array(0)

  push(chunk: Uint8Array): SseLine[] {
    const joined = new Uint8Array(this.pending.length + chunk.length)
    joined.set(this.pending)
    joined.set(chunk, this.pending.length)
    const { lines, consumed } = splitLines(joined)
    this.pending = joined.slice(consumed)
    return lines
  }
}

function parseLine(buf: Uint8Array, start: number, textEnd: number, end: number): SseLine {
  if (textEnd === start)
    return { kind: 'blank', name: '', value: '', start, end, valueStart: start, valueEnd: start }
  if (buf[start] === 0x3a) {
    const vs = start + 1 + (buf[start + 1] === 0x20 ? 1 : 0)
    return {
      kind: 'comment',
      name: '',
      value: decoder.decode(buf.subarray(vs, textEnd)),
      start,
      end,
      valueStart: Math.min(vs, textEnd),
      valueEnd: textEnd
    }
  }
  const colon = buf.subarray(start, textEnd).indexOf(0x3a)
  const nameEnd = colon < 0 ? textEnd : start + colon
  const name = decoder.decode(buf.subarray(start, nameEnd))
  let vs = colon < 0 ? textEnd : nameEnd + 1
  if (vs < textEnd && buf[vs] === 0x20) vs++
  const value = colon < 0 ? '' : decoder.decode(buf.subarray(vs, textEnd))
  const kind: SseLineKind =
    name === 'data' || name === 'event' || name === 'id' || name === 'retry' ? name : 'other'
  return { kind, name, value, start, end, valueStart: vs, valueEnd: textEnd }
}

/** Applies lines to an event being built, per the spec's dispatch rules. */
export class SseAccumulator {
  private data: string[] = []
  private type = ''
  private sawData = false
  private hasId = false
  lastEventId = ''
  retry: number | null = null

  /** Returns the event a blank line dispatches, if any. */
  line(l: SseLine): SseEvent | null {
    switch (l.kind) {
      case 'data':
        this.data.push(l.value)
        this.sawData = true
        return null
      case 'event':
        this.type = l.value
        return null
      case 'id':
        if (!l.value.includes('\0')) {
          this.lastEventId = l.value
          this.hasId = true
        }
        return null
      case 'retry':
        if (/^\d+$/.test(l.value)) this.retry = Number(l.value)
        return null
      case 'blank': {
        const ev = this.sawData
          ? {
              type: this.type || 'message',
              data: this.data.join('\n'),
              lastEventId: this.lastEventId,
              hasId: this.hasId
            }
          : null
        this.data = []
        this.type = ''
        this.sawData = false
        this.hasId = false
        return ev
      }
      default:
        return null
    }
  }
}
