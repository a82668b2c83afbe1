// Bytes a person pastes: hex (with spaces, colons or 0x prefixes) or base64.
import { fromBase64 } from '../../../../shared/wire'

/** Bytes from hex (spaces, colons, 0x allowed) or base64. */
export function parseBytes(text: string): Uint8Array {
  const t = text.trim()
  const hexish = t.replace(/0x/gi, '').replace(/[\s:,-]+/g, '')
  if (/^[0-9a-fA-F]*$/.test(hexish) && hexish.length % 2 === 0) {
    const out = new Uint8Array(hexish.length / 2)
    for (let i = 0; i < out.length; i++) out[i] = parseInt(hexish.slice(i * 2, i * 2 + 2), 16)
    return out
  }
  try {
    return fromBase64(t)
  } catch {
    throw new Error('the bytes are neither hex (08 96 01) nor base64 (CJYB)')
  }
}
