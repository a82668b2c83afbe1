// An HTTP/1.1 API that also streams Server-Sent Events (the dashboard's backend): each connection
// is decided by its first request. A request for text/event-stream goes to the SSE dissector; any
// other to the HTTP dissector (JSON bodies as field trees). Both are found by id in the registry.
import type { Direction } from '../../../../shared/events'
import { handOff } from '../../dissect/chain'
import type { DissectorDef, PduDraft, StreamDissector } from '../../dissect/types'
import { couldBeHttp, headEnd, http1Score } from '../common/http1'

const MAX_HEAD = 16 * 1024

export function createHttpApiDissector(): StreamDissector {
  let inner: StreamDissector | null = null
  const held: { dir: Direction; chunk: Uint8Array; offset: number }[] = []
  let c2s = new Uint8Array(0)
  const decide = (stream: boolean): PduDraft[] => {
    inner = handOff(stream ? 'sse' : 'http')
    const out: PduDraft[] = []
    for (const h of held.splice(0)) out.push(...inner.push(h.dir, h.chunk, h.offset))
    return out
  }
  return {
    push(dir, chunk, offset) {
      if (inner) return inner.push(dir, chunk, offset)
      held.push({ dir, chunk, offset })
      if (dir !== 'c2s') return []
      const joined = new Uint8Array(c2s.length + chunk.length)
      joined.set(c2s)
      joined.set(chunk, c2s.length)
      c2s = joined
      const end = headEnd(c2s)
      if (end > 0) {
        const head = new TextDecoder('latin1').decode(c2s.subarray(0, end))
        return decide(/\r\naccept:[^\r\n]*text\/event-stream/i.test(head) || /^GET \S*\/stream\//.test(head))
      }
      return c2s.length > MAX_HEAD ? decide(false) : []
    },
    end(dir) {
      const out = inner ? [] : decide(false)
      return [...out, ...(inner?.end?.(dir) ?? [])]
    }
  }
}

export const httpApiDef: DissectorDef = {
  id: 'http-api',
  name: 'HTTP/1.1 API with Server-Sent Events endpoints',
  transport: 'tcp',
  // The dashboard's API port; from first bytes alone it is HTTP, so it always ranks below `http`.
  ports: [8000],
  looksLike: (first, dir) => (couldBeHttp(first) ? http1Score(first, dir) / 2 : 0),
  create: createHttpApiDissector
}
