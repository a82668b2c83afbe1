// JSON text, byte by byte: every brace, quote, colon, comma and digit belongs to a field. Each
// member of the top-level object is one field (key, colon, value) tagged with its key.
import type { Field } from '../../../../shared/events'
import { field } from '../../dissect/fields'
import { show, tryUtf8, utf8Field } from '../common/codec-fields'
import { DissectError } from '../../dissect/error'
import { idKey, plural, walkTopLevel, type Layout } from './layout'

const WS = new Set([0x20, 0x09, 0x0a, 0x0d])
const MAX_DEPTH = 128

class JsonWalker {
  pos = 0
  constructor(readonly buf: Uint8Array) {}

  ws(): void {
    while (this.pos < this.buf.length && WS.has(this.buf[this.pos])) this.pos++
  }

  expect(ch: string): number {
    if (this.pos >= this.buf.length)
      throw new DissectError(`unexpected end of JSON, expected '${ch}'`, this.pos, this.buf.length)
    if (this.buf[this.pos] !== ch.charCodeAt(0))
      throw new DissectError(
        `expected '${ch}' at offset ${this.pos}, found ${JSON.stringify(String.fromCharCode(this.buf[this.pos]))}`,
        this.pos,
        this.buf.length
      )
    return this.pos++
  }

  string(id: string, name: string): { field: Field; value: string } {
    const start = this.expect('"')
    while (true) {
      if (this.pos >= this.buf.length) throw new DissectError('unterminated string', start, this.buf.length)
      const b = this.buf[this.pos]
      if (b === 0x22) break
      if (b < 0x20)
        throw new DissectError(
          `control character 0x${b.toString(16)} inside a string`,
          this.pos,
          this.buf.length
        )
      this.pos += b === 0x5c ? 2 : 1
    }
    this.pos++
    const text = tryUtf8(this.buf.subarray(start, this.pos))
    if (text === null) throw new DissectError('string is not valid UTF-8', start, this.buf.length)
    let value: string
    try {
      value = JSON.parse(text) as string
    } catch {
      throw new DissectError(`invalid escape in string ${text.slice(0, 40)}`, start, this.buf.length)
    }
    const inner = utf8Field('Characters (UTF-8)', this.buf, start + 1, this.pos - 1, `${id}.chars`)
    return {
      field: field(name, start, this.pos, JSON.stringify(value), {
        id,
        children: [
          field('Quote', start, start + 1, '"', { id: `${id}.quote` }),
          inner,
          field('Quote', this.pos - 1, this.pos, '"', { id: `${id}.quote` })
        ]
      }),
      value
    }
  }

  value(id: string, name: string, depth: number): { field: Field; value: unknown } {
    if (depth > MAX_DEPTH) throw new DissectError('nested too deeply', this.pos, this.buf.length)
    if (this.pos >= this.buf.length)
      throw new DissectError('unexpected end of JSON, expected a value', this.pos, this.buf.length)
    const b = this.buf[this.pos]
    const start = this.pos
    if (b === 0x22) return this.string(id, `${name} (string)`)
    if (b === 0x7b) return this.object(id, name, depth)
    if (b === 0x5b) {
      this.pos++
      const children: Field[] = [field('[', start, start + 1, 'array start', { id: `${id}.syntax` })]
      const items: unknown[] = []
      this.separated(id, 0x5d, children, () => {
        const item = this.value(`${id}.item`, `[${items.length}]`, depth + 1)
        items.push(item.value)
        children.push(item.field)
      })
      const close = this.expect(']')
      children.push(field(']', close, close + 1, 'array end', { id: `${id}.syntax` }))
      return {
        field: field(`${name} (array of ${items.length})`, start, this.pos, show(items), { id, children }),
        value: items
      }
    }
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null]
    ] as const) {
      const w = new TextEncoder().encode(word)
      if (w.every((c, i) => this.buf[start + i] === c)) {
        this.pos += w.length
        return {
          field: field(`${name} (${word === 'null' ? 'null' : 'boolean'})`, start, this.pos, word, { id }),
          value: v
        }
      }
    }
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(
      new TextDecoder().decode(this.buf.subarray(start, Math.min(this.buf.length, start + 400)))
    )
    if (!m || m[0].length === 0 || m[0] === '-')
      throw new DissectError(
        `unexpected ${JSON.stringify(String.fromCharCode(b))} at offset ${start}, expected a value`,
        start,
        this.buf.length
      )
    this.pos += m[0].length
    const n = Number(m[0])
    return {
      field: field(`${name} (number)`, start, this.pos, show(n), {
        id,
        children: [
          field(
            'Digits (ASCII text)',
            start,
            this.pos,
            `${m[0].length} characters "${m[0]}" → parsed to ${show(n)}`,
            { id: `${id}.digits` }
          )
        ]
      }),
      value: n
    }
  }

  /** One `"key": value` member, whitespace around the colon included. */
  member(prefix: string, depth: number): { key: string; field: Field; value: unknown } {
    const start = this.pos
    const probe = this.pos
    // Peek the key first to name the field.
    const k = this.string(`${prefix}.key`, 'Key')
    const key = k.value
    const id = `${prefix}.${idKey(key)}`
    this.pos = probe
    const kf = this.string(`${id}.key`, 'Key')
    this.ws()
    const colon = this.expect(':')
    this.ws()
    const v = this.value(`${id}.value`, 'Value', depth + 1)
    return {
      key,
      field: field(`${key} ${v.field.name.replace(/^Value /, '')}`, start, this.pos, show(v.value), {
        id,
        children: [kf.field, field(':', colon, colon + 1, 'name separator', { id: `${id}.syntax` }), v.field]
      }),
      value: v.value
    }
  }

  /** Items separated by commas until the closing byte `close` (not consumed); each comma is a field. */
  separated(id: string, close: number, children: Field[], item: () => void): void {
    this.ws()
    if (this.buf[this.pos] === close) return
    for (;;) {
      this.ws()
      item()
      this.ws()
      if (this.buf[this.pos] !== 0x2c) return
      children.push(field(',', this.pos, this.pos + 1, 'separator', { id: `${id}.syntax` }))
      this.pos++
    }
  }

  object(id: string, name: string, depth: number): { field: Field; value: unknown } {
    const start = this.expect('{')
    const children: Field[] = [field('{', start, start + 1, 'object start', { id: `${id}.syntax` })]
    const obj: Record<string, unknown> = {}
    this.separated(id, 0x7d, children, () => {
      const m = this.member(id, depth)
      obj[m.key] = m.value
      children.push(m.field)
    })
    const close = this.expect('}')
    children.push(field('}', close, close + 1, 'object end', { id: `${id}.syntax` }))
    return {
      field: field(`${name} (object, ${plural(Object.keys(obj).length, 'member')})`, start, this.pos, `{…}`, {
        id,
        children
      }),
      value: obj
    }
  }
}

export function dissectJson(bytes: Uint8Array): Layout {
  const w = new JsonWalker(bytes)
  return walkTopLevel(
    'json',
    bytes,
    (fields, value) => {
      const syntax = (name: string, start: number, v: string): void => {
        w.ws()
        fields.push(field(name, start, w.pos, v, { id: 'json.syntax' }))
      }
      w.ws()
      if (w.pos < bytes.length && bytes[w.pos] === 0x7b) {
        // Top-level object: braces, members and commas tile the text.
        w.pos++
        syntax('{', 0, 'object start')
        if (bytes[w.pos] !== 0x7d) {
          while (true) {
            const m = w.member('json', 1)
            value[m.key] = m.value
            fields.push(m.field)
            const at = w.pos
            w.ws()
            if (bytes[w.pos] === 0x2c) {
              w.pos++
              syntax(',', at, 'separator')
              continue
            }
            w.pos = at
            break
          }
        }
        const at = w.pos
        w.ws()
        w.expect('}')
        syntax('}', at, 'object end')
      } else {
        const start = 0
        const v = w.value('json.value', 'Value', 0)
        w.ws()
        fields.push({ ...v.field, start, end: w.pos })
        value.value = v.value
      }
      if (w.pos < bytes.length)
        throw new DissectError(`unexpected data after the JSON value at offset ${w.pos}`, w.pos, bytes.length)
      if (bytes.length === 0) throw new DissectError('empty input', 0, 0)
    },
    (fields) =>
      `JSON text: ${plural(fields.filter((f) => f.id !== 'json.syntax').length, 'member')}, ${bytes.length} bytes`
  )
}
