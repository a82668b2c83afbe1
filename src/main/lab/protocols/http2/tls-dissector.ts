// HTTP/2 over TLS (ALPN "h2"): the TLS records as the TLS dissector shows them (handshake in the
// clear, records decrypted with the key log Wirelab keeps for its own servers), and the
// decrypted application data fed, in order per direction, to an HTTP/2 dissector: the frames
// inside the records. The frames' byte ranges are into the decrypted bytes (offset -1: they are
// not bytes of the TCP stream).
import type { Direction } from '../../../../shared/events'
import { handOff } from '../../dissect/chain'
import { getDissector } from '../../dissect/registry'
import type { DissectorDef, PduDraft, StreamDissector } from '../../dissect/types'

export function createH2TlsDissector(): StreamDissector {
  const tls = handOff('tls')
  const h2 = handOff('http2')
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

/**
 * A TLS ClientHello offering ALPN "h2", read by the TLS dissector itself (c2s). A server's hello
 * cannot tell (TLS 1.3 sends ALPN encrypted), so only a weak yes there.
 */
export function looksLikeH2Tls(first: Uint8Array, dir: Direction): number {
  if (getDissector('tls').looksLike(first, dir) < 0.9) return 0
  if (dir === 's2c') return 0.5
  const hello = handOff('tls').push(dir, first, 0)[0]
  const alpn = hello?.keys?.alpn
  return typeof alpn === 'string' && alpn.split(',').includes('h2') ? 0.97 : 0
}

export const h2TlsDissector: DissectorDef = {
  id: 'h2-tls',
  name: 'HTTP/2 over TLS (h2)',
  transport: 'tcp',
  ports: [8443],
  looksLike: looksLikeH2Tls,
  create: createH2TlsDissector
}
