// `wirelab decode --format protobuf [--proto FILE --type NAME] HEX|BASE64`: the lesson's
// dissectors from the command line. Prints the field tree with byte ranges (or JSON with --jsonl).
import { readFileSync } from 'node:fs'
import protobuf from 'protobufjs'
import type avro from 'avsc'
import type { Field } from '../../shared/events'
import { hex } from '../lab/dissect/fields'
import { dissectProtobuf } from '../lab/protocols/common/protobuf-fields'
import { decodeRawText } from '../lab/protocols/common/protobuf-wire'
import { dissectAvro } from '../lab/protocols/serialization/avro-layout'
import { dissectFormat } from '../lab/protocols/serialization/formats'
import type { Layout } from '../lab/protocols/serialization/layout'
import { FORMATS, type FormatId } from '../lab/protocols/serialization/record'
import { parseBytes } from '../lab/protocols/serialization/bytes-input'

export interface DecodeOptions {
  format: string
  input: string
  /** .proto file (Protobuf) or Avro schema JSON file. */
  proto?: string
  type?: string
  jsonl?: boolean
}

function tree(fields: Field[], bytes: Uint8Array, indent = ''): string[] {
  const lines: string[] = []
  for (const f of fields) {
    const span = bytes.subarray(f.start, f.end)
    const shown = span.length <= 12 ? hex(span) : `${hex(span.subarray(0, 12))} …`
    lines.push(
      `${indent}[${f.start}, ${f.end}) ${f.name}${f.value !== undefined ? `: ${f.value}` : ''}${f.malformed ? `  ⚠ ${f.malformed}` : ''}    ${shown}`
    )
    if (f.children?.length) lines.push(...tree(f.children, bytes, indent + '  '))
  }
  return lines
}

/** Returns what to print and the exit code (1 when the bytes are malformed). */
export function decodeCommand(o: DecodeOptions): { out: string; code: number } {
  const format = (o.format === 'thrift' ? 'thrift-binary' : o.format) as FormatId
  if (!FORMATS.includes(format)) throw new Error(`--format must be one of ${FORMATS.join(', ')}`)
  const bytes = parseBytes(o.input)
  let layout: Layout
  let raw: string | null = null
  if (format === 'protobuf') {
    let type: protobuf.Type | undefined
    if (o.proto) {
      const root = protobuf.parse(readFileSync(o.proto, 'utf8'), { keepCase: true }).root
      root.resolveAll()
      if (!o.type) throw new Error('--proto needs --type NAME (the message type)')
      type = root.lookupType(o.type)
    }
    layout = dissectProtobuf(bytes, type)
    if (!type) raw = decodeRawText(bytes)
  } else if (format === 'avro' && o.proto) {
    layout = dissectAvro(bytes, JSON.parse(readFileSync(o.proto, 'utf8')) as avro.Schema)
  } else layout = dissectFormat(format, bytes)
  if (o.jsonl) {
    const { value: _value, ...rest } = layout
    void _value
    return {
      out:
        JSON.stringify({
          ...rest,
          size: bytes.length,
          data: Buffer.from(bytes).toString('base64'),
          ...(raw !== null ? { decodeRaw: raw } : {})
        }) + '\n',
      code: layout.malformed ? 1 : 0
    }
  }
  const lines = [`${layout.summary}`, ...tree(layout.fields, bytes)]
  if (raw !== null) lines.push('', 'protoc --decode_raw would print:', raw.trimEnd())
  return { out: lines.join('\n') + '\n', code: layout.malformed ? 1 : 0 }
}
