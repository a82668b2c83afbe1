// HTTP/2 over TLS (ALPN "h2"): the TLS records as the TLS dissector shows them (handshake in the
// clear, records decrypted with the key log Wirelab keeps for its own servers), and the
// decrypted application data fed, in order per direction, to an HTTP/2 dissector: the frames
// inside the records. The frames' byte ranges are into the decrypted bytes (offset -1: they are
// not bytes of the TCP stream).
import type { Direction } from '../../../../shared/events'
import { registerDissector } from '../../dissect/registry'
import type { DissectorDef, PduDraft, StreamDissector } from '../../dissect/types'
import { tlsDissector } from '../tls/dissector'
import { createHttp2Dissector } from './dissector'

export function createH2TlsDissector(): StreamDissector {
  const tls = tlsDissector()
  const h2 = createHttp2Dissector()
  const plain: Record<Direction, number> = { c2s: 0, s2c: 0 }
  const chain = (pdus: PduDraft[]): PduDraft[] => {
    const out: PduDraft[] = []
    for (const p of pdus) {
      out.push(p)
      if (p.keys?.decrypted !== true || p.keys.innerType !== 23) continue
      const trailer = p.fields.find((f) => f.id === 'tls.record.content_type')
      if (!trailer) continue
      const content = p.data.subarray(0, trailer.start)
      if (!content.length) continue
      const frames = h2.push(p.dir, content.slice(), plain[p.dir])
      plain[p.dir] += content.length
      for (const f of frames) out.push({ ...f, offset: -1, keys: { ...(f.keys ?? {}), tls: true } })
    }
    return out
  }
  return {
    push: (dir, chunk, offset) => chain(tls.push(dir, chunk, offset)),
    end: (dir) => [...chain(tls.end?.(dir) ?? []), ...(h2.end?.(dir) ?? []).map((f) => ({ ...f, offset: -1 }))]
  }
}

export const h2TlsDissector: DissectorDef = registerDissector({
  id: 'h2-tls',
  name: 'HTTP/2 over TLS (h2)',
  transport: 'tcp',
  create: createH2TlsDissector
})
