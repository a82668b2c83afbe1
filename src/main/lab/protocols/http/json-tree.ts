// JSON bodies as a field tree: a small parser that keeps the byte range of every member and
// element, so the byte inspector can highlight `"price": 1200` inside the body.
import type { Field } from '../../../../shared/events'
import { field, utf8 } from '../../dissect/fields'

class JsonError extends Error {
  constructor(
    message: string,
    readonly at: number
  ) {
    super(message)
  }
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d])

/**
 * Parses UTF-8 JSON in `bytes` and returns its field tree, with ranges shifted by `base`.
 * Throws an Error (with a byte position) when the bytes are not JSON.
 */
export function jsonFields(bytes: Uint8Array, base = 0, name = 'JSON'): Field {
  let i = 0
  const skip = (): void => {
    while (i < bytes.length && WS.has(bytes[i])) i++
  }
  const fail = (msg: string): never => {
    throw new JsonError(`${msg} at byte ${i}`, i)
  }
  const parseString = (): { end: number; text: string } => {
    const start = i
    i++ // opening quote
    while (i < bytes.length) {
      const b = bytes[i]
      if (b === 0x5c) i += 2
      else if (b === 0x22) {
        i++
        const raw = utf8(bytes.subarray(start, i))
        try {
          return { end: i, text: JSON.parse(raw) as string }
        } catch {
          i = start
          return fail('invalid string')
        }
      } else if (b < 0x20) return fail('control character in string')
      else i++
    }
    return fail('unterminated string')
  }
  const literal = (word: string): void => {
    for (let k = 0; k < word.length; k++) if (bytes[i + k] !== word.charCodeAt(k)) fail(`expected ${word}`)
    i += word.length
  }
  const value = (label: string, depth: number): Field => {
    if (depth > 64) fail('nesting too deep')
    skip()
    const start = i
    const b = bytes[i]
    if (b === undefined) return fail('unexpected end')
    if (b === 0x7b) {
      i++
      const children: Field[] = []
      skip()
      if (bytes[i] === 0x7d) i++
      else {
        for (;;) {
          skip()
          if (bytes[i] !== 0x22) fail('expected a member name')
          const keyStart = i
          const key = parseString()
          skip()
          if (bytes[i] !== 0x3a) fail('expected ":"')
          i++
          const v = value(key.text, depth + 1)
          children.push(
            field(key.text, base + keyStart, v.end, v.value, {
              id: 'json.member',
              children: [field('Key', base + keyStart, base + key.end, JSON.stringify(key.text), { id: 'json.member.key' }), v]
            })
          )
          skip()
          if (bytes[i] === 0x2c) {
            i++
            continue
          }
          if (bytes[i] === 0x7d) {
            i++
            break
          }
          fail('expected "," or "}"')
        }
      }
      return field(label, base + start, base + i, `object, ${children.length} member${children.length === 1 ? '' : 's'}`, { id: 'json.object', children })
    }
    if (b === 0x5b) {
      i++
      const children: Field[] = []
      skip()
      if (bytes[i] === 0x5d) i++
      else {
        for (;;) {
          children.push(value(`[${children.length}]`, depth + 1))
          skip()
          if (bytes[i] === 0x2c) {
            i++
            continue
          }
          if (bytes[i] === 0x5d) {
            i++
            break
          }
          fail('expected "," or "]"')
        }
      }
      return field(label, base + start, base + i, `array, ${children.length} element${children.length === 1 ? '' : 's'}`, { id: 'json.array', children })
    }
    if (b === 0x22) {
      const s = parseString()
      return field(label, base + start, base + s.end, JSON.stringify(s.text), { id: 'json.value.string' })
    }
    if (b === 0x74) {
      literal('true')
      return field(label, base + start, base + i, 'true', { id: 'json.value.true' })
    }
    if (b === 0x66) {
      literal('false')
      return field(label, base + start, base + i, 'false', { id: 'json.value.false' })
    }
    if (b === 0x6e) {
      literal('null')
      return field(label, base + start, base + i, 'null', { id: 'json.value.null' })
    }
    while (i < bytes.length && /[-+0-9.eE]/.test(String.fromCharCode(bytes[i]))) i++
    const text = utf8(bytes.subarray(start, i))
    if (!text || !/^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/.test(text)) {
      i = start
      return fail('unexpected character')
    }
    return field(label, base + start, base + i, text, { id: 'json.value.number' })
  }
  const root = value(name, 0)
  skip()
  if (i !== bytes.length) fail('trailing bytes after JSON')
  return root
}

/** True when the content type announces JSON. */
export function isJsonType(contentType: string | undefined): boolean {
  return !!contentType && /(^|\/|\+)json\b/i.test(contentType.split(';')[0].trim())
}
