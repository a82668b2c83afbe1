// Lesson "Serialization byte layouts" (seed 001 "Por que binário é mais rápido?", "Serialização:
// Protobuf vs JSON vs Avro"; seed 003 Protocol Buffers): one sensor reading encoded by the real
// libraries — JSON, Protobuf, Avro, MessagePack, CBOR, Thrift binary and compact — every byte
// accounted for; schema evolution; bring your own bytes; and the message sent over a real socket.
import type { ParamValues } from '../../../../shared/events'
import type { ActionResult, ClientHint, ParamDef } from '../../../../shared/scene'
import { dissectProtobuf } from '../../protocols/common/protobuf-fields'
import { decodeRawText } from '../../protocols/common/protobuf-wire'
import { show } from '../../protocols/common/codec-fields'
import { dissectFormat, encodeAll, type Encoded } from '../../protocols/serialization/formats'
import type { Layout } from '../../protocols/serialization/layout'
import { decodeWithLibrary } from '../../protocols/serialization/library-decode'
import {
  DEFAULT_READING,
  ENCODERS,
  FIELD_KEYS,
  FORMATS,
  FORMAT_LABELS,
  avroType,
  parseList,
  protoText,
  protoType,
  protocolOf,
  validateReading,
  type FormatId,
  type Reading,
  type SchemaOptions,
  type TemperaturaType
} from '../../protocols/serialization/record'
import { exchange } from '../../protocols/serialization/client'
import { frame } from '../../protocols/serialization/frame'
import { startReceiver } from '../../protocols/serialization/server'
import type { SceneContext } from '../context'
import { fail, ok, type SceneDef } from '../types'
import { parseBytes } from '../../protocols/serialization/bytes-input'
import protobuf from 'protobufjs'
import type avro from 'avsc'
import { dissectAvro } from '../../protocols/serialization/avro-layout'

const PORT = 9091
/** The pseudo-connection the encoder's PDUs belong to (they come from no socket: offset −1). */
export const ENCODER_CONN = 'encoder'
const FIELD_LIST = FIELD_KEYS.join(',')

const formatOptions = FORMATS.map((f) => ({
  value: f,
  label: { en: FORMAT_LABELS[f], pt: FORMAT_LABELS[f] }
}))

const DECODE_PARAMS: ParamDef[] = [
  {
    id: 'input',
    label: { en: 'Bytes (hex or base64)', pt: 'Bytes (hex ou base64)' },
    type: 'text',
    default: '08 96 01',
    help: { en: 'Paste hex (08 96 01) or base64 (CJYB).', pt: 'Cole hex (08 96 01) ou base64 (CJYB).' }
  },
  {
    id: 'format',
    label: { en: 'Format', pt: 'Formato' },
    type: 'select',
    default: 'protobuf',
    options: formatOptions
  },
  {
    id: 'schema',
    label: { en: 'Schema (.proto text, or Avro JSON)', pt: 'Schema (texto .proto, ou JSON Avro)' },
    type: 'text',
    default: '',
    help: {
      en: 'Empty: Protobuf is decoded without a schema (like protoc --decode_raw); Avro uses the lesson’s schema.',
      pt: 'Vazio: o Protobuf é decodificado sem schema (como protoc --decode_raw); o Avro usa o schema da lição.'
    }
  },
  {
    id: 'type',
    label: { en: 'Message type', pt: 'Tipo da mensagem' },
    type: 'string',
    default: '',
    help: { en: 'e.g. LeituraResponse', pt: 'ex.: LeituraResponse' }
  }
]

const SEND_PARAMS: ParamDef[] = [
  {
    id: 'wireFormat',
    label: { en: 'Format to send', pt: 'Formato a enviar' },
    type: 'select',
    default: 'protobuf',
    options: [...formatOptions, { value: 'all', label: { en: 'All formats', pt: 'Todos os formatos' } }]
  }
]

export function readingFrom(p: ParamValues): Reading {
  return {
    sensor: String(p.sensor ?? DEFAULT_READING.sensor),
    temperatura: Number(p.temperatura ?? DEFAULT_READING.temperatura),
    timestamp: Number(p.timestamp ?? DEFAULT_READING.timestamp),
    historico: parseList(String(p.historico ?? DEFAULT_READING.historico.join(', ')))
  }
}

const jsonSafe = (v: unknown): unknown =>
  JSON.parse(
    JSON.stringify(v, (_k, x: unknown) =>
      typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? Array.from(x) : x
    ) ?? 'null'
  )

export const serialization: SceneDef = {
  info: {
    id: 'serialization',
    group: 'rpc',
    title: { en: 'Serialization byte layouts', pt: 'Serialização byte a byte' },
    summary: {
      en: 'One sensor reading encoded by the real libraries — JSON, Protobuf, Avro, MessagePack, CBOR, Thrift — with every byte explained.',
      pt: 'Uma leitura de sensor codificada pelas bibliotecas reais — JSON, Protobuf, Avro, MessagePack, CBOR, Thrift — com cada byte explicado.'
    },
    goal: {
      en: 'Text formats repeat field names and write numbers as digits; binary formats use tags (Protobuf, Thrift) or the schema’s order (Avro), varints and length prefixes. The schema is the contract, and how it may evolve.',
      pt: 'Formatos de texto repetem os nomes dos campos e escrevem números como dígitos; os binários usam tags (Protobuf, Thrift) ou a ordem do schema (Avro), varints e prefixos de tamanho. O schema é o contrato, e define como pode evoluir.'
    },
    params: [
      {
        id: 'sensor',
        label: { en: 'sensor', pt: 'sensor' },
        type: 'string',
        default: DEFAULT_READING.sensor
      },
      {
        id: 'temperatura',
        label: { en: 'temperatura', pt: 'temperatura' },
        type: 'number',
        default: DEFAULT_READING.temperatura,
        step: 0.1
      },
      {
        id: 'temperaturaType',
        label: { en: 'temperatura type', pt: 'tipo de temperatura' },
        type: 'select',
        default: 'double',
        options: [
          { value: 'double', label: { en: 'double (64-bit float)', pt: 'double (ponto flutuante 64 bits)' } },
          { value: 'float', label: { en: 'float (32-bit float)', pt: 'float (ponto flutuante 32 bits)' } },
          { value: 'int32', label: { en: 'int32 (tenths of a degree)', pt: 'int32 (décimos de grau)' } }
        ]
      },
      {
        id: 'timestamp',
        label: { en: 'timestamp (s)', pt: 'timestamp (s)' },
        type: 'number',
        default: DEFAULT_READING.timestamp,
        step: 1
      },
      {
        id: 'historico',
        label: { en: 'historico (list)', pt: 'historico (lista)' },
        type: 'string',
        default: DEFAULT_READING.historico.join(', '),
        help: {
          en: 'Previous readings, tenths of a degree, comma separated.',
          pt: 'Leituras anteriores, em décimos de grau, separadas por vírgula.'
        }
      }
    ],
    actions: [
      {
        id: 'encode',
        label: { en: 'Encode in every format', pt: 'Codificar em todos os formatos' },
        primary: true
      },
      {
        id: 'evolve-add',
        label: { en: 'Evolve: add a field', pt: 'Evoluir: adicionar um campo' },
        help: {
          en: 'Writer v2 adds `unidade`; an old reader meets it.',
          pt: 'O escritor v2 adiciona `unidade`; um leitor antigo o encontra.'
        }
      },
      {
        id: 'evolve-renumber',
        label: { en: 'Evolve: renumber a field', pt: 'Evoluir: renumerar um campo' },
        help: {
          en: 'Writer swaps the numbers of sensor and timestamp.',
          pt: 'O escritor troca os números de sensor e timestamp.'
        }
      },
      { id: 'decode', label: { en: 'Decode my bytes', pt: 'Decodificar meus bytes' }, params: DECODE_PARAMS },
      { id: 'send', label: { en: 'Send on the wire', pt: 'Enviar pela rede' }, params: SEND_PARAMS }
    ],
    views: ['serialization', 'bytes', 'sequence'],
    ports: [{ name: 'serialization', transport: 'tcp', preferred: PORT }]
  },

  async start(ctx: SceneContext, params) {
    const receiver = await startReceiver()
    ctx.own(receiver.server)
    const tap = await ctx.tcpTap({
      name: 'serialization',
      preferredPort: PORT,
      target: { host: '127.0.0.1', port: receiver.port },
      dissector: 'serialization-wire',
      server: { node: 'receiver', label: 'Receiver (decodes with the libraries)' }
    })
    const port = tap.port.port
    let batch = 0

    const schemaOf = (p: ParamValues): SchemaOptions => ({
      temperaturaType: String(p.temperaturaType ?? 'double') as TemperaturaType
    })

    const emit = (
      format: FormatId,
      bytes: Uint8Array,
      layout: Layout,
      source: string,
      extraKeys: Record<string, string | number | boolean> = {},
      label?: string
    ): void => {
      ctx.session.append({
        kind: 'pdu',
        conn: ENCODER_CONN,
        dir: 'c2s',
        protocol: protocolOf(format),
        summary: `${label ?? FORMAT_LABELS[format]}: ${bytes.length} bytes — ${layout.summary}`,
        fields: layout.fields,
        data: bytes,
        offset: -1,
        keys: {
          format,
          size: bytes.length,
          source,
          batch,
          fields: FIELD_LIST,
          ...(format.startsWith('thrift') ? { variant: format.slice(7) } : {}),
          ...extraKeys
        },
        ...(layout.malformed ? { malformed: layout.malformed } : {})
      })
    }

    const encode = (p: ParamValues): Encoded[] => {
      const reading = readingFrom(p)
      const o = schemaOf(p)
      const problem = validateReading(reading, o)
      if (problem) throw new Error(problem)
      const all = encodeAll(reading, o)
      batch++
      for (const e of all)
        emit(e.format, e.bytes, e.layout, 'encoder', { temperaturaType: o.temperaturaType ?? 'double' })
      const json = all.find((e) => e.format === 'json')!.bytes.length
      const pb = all.find((e) => e.format === 'protobuf')!.bytes.length
      const list = all.map((e) => `${e.label} ${e.bytes.length}`).join(', ')
      ctx.note('serialization.sizes', {
        en: `Same reading, seven encodings (bytes): ${list}. JSON writes every field name and every digit as text; Protobuf is ${(json / pb).toFixed(1)}× smaller: a tag byte (field << 3 | wire type) replaces each name.`,
        pt: `A mesma leitura, sete codificações (bytes): ${list}. O JSON escreve cada nome de campo e cada dígito como texto; o Protobuf é ${(json / pb).toFixed(1).replace('.', ',')}× menor: um byte de tag (campo << 3 | wire type) substitui cada nome.`
      })
      return all
    }

    const evolveAdd = (p: ParamValues): unknown => {
      const reading = readingFrom(p)
      const base = schemaOf(p)
      const v2: SchemaOptions = { ...base, addUnidade: true }
      batch++
      // Protobuf: v2 writer, v1 reader.
      const pb = ENCODERS.protobuf(reading, v2)
      const oldReader = dissectProtobuf(pb, protoType(protoText(base)))
      emit(
        'protobuf',
        pb,
        oldReader,
        'evolution',
        { schema: 'writer v2, reader v1' },
        'Protobuf v2 bytes, v1 reader'
      )
      const pbOld = decodeWithLibrary('protobuf', pb, base)
      ctx.note('serialization.evolve.protobuf', {
        en: `Protobuf: the v2 writer adds "string unidade = 5". The v1 reader (protobufjs with the old .proto) meets tag 0x2a = field 5, wire type 2 (LEN): unknown, so it reads the length and skips those bytes. It decodes ${show(jsonSafe(pbOld))} — no error. A v2 reader of v1 bytes finds no field 5 and uses the default "".`,
        pt: `Protobuf: o escritor v2 adiciona "string unidade = 5". O leitor v1 (protobufjs com o .proto antigo) encontra a tag 0x2a = campo 5, wire type 2 (LEN): desconhecido, então lê o tamanho e pula esses bytes. Decodifica ${show(jsonSafe(pbOld))} — sem erro. Um leitor v2 de bytes v1 não encontra o campo 5 e usa o padrão "".`
      })
      // Avro: no tags, so the reader needs the writer's schema to resolve.
      const av = ENCODERS.avro(reading, v2)
      emit(
        'avro',
        av,
        dissectFormat('avro', av, v2),
        'evolution',
        { schema: 'writer v2' },
        'Avro v2 bytes (writer schema)'
      )
      const v1Type = avroType(base)
      const v2Type = avroType(v2)
      const avOld = v1Type.fromBuffer(Buffer.from(av), v1Type.createResolver(v2Type)) as Record<
        string,
        unknown
      >
      const v1bytes = ENCODERS.avro(reading, base)
      const avNew = v2Type.fromBuffer(Buffer.from(v1bytes), v2Type.createResolver(v1Type)) as Record<
        string,
        unknown
      >
      ctx.note('serialization.evolve.avro', {
        en: `Avro: the bytes carry no tags and no names, only values in the writer's order. The v1 reader resolves with the writer's schema (v2): it reads and drops "unidade" → ${show(jsonSafe(avOld))}. A v2 reader of v1 bytes fills the declared default: unidade = ${show(avNew.unidade)}.`,
        pt: `Avro: os bytes não têm tags nem nomes, só valores na ordem do escritor. O leitor v1 resolve com o schema do escritor (v2): lê e descarta "unidade" → ${show(jsonSafe(avOld))}. Um leitor v2 de bytes v1 preenche o padrão declarado: unidade = ${show(avNew.unidade)}.`
      })
      return {
        protobuf: { size: pb.length, oldReader: jsonSafe(pbOld) },
        avro: { size: av.length, oldReader: jsonSafe(avOld), newReaderOfOld: jsonSafe(avNew) }
      }
    }

    const evolveRenumber = (p: ParamValues): unknown => {
      const reading = readingFrom(p)
      const base = schemaOf(p)
      const moved: SchemaOptions = { ...base, renumber: true }
      batch++
      const pb = ENCODERS.protobuf(reading, moved)
      const oldReader = dissectProtobuf(pb, protoType(protoText(base)))
      emit(
        'protobuf',
        pb,
        oldReader,
        'evolution',
        { schema: 'writer renumbered, reader v1' },
        'Protobuf renumbered bytes, v1 reader'
      )
      let outcome: string
      try {
        outcome = `decodes without complaint: ${show(jsonSafe(decodeWithLibrary('protobuf', pb, base)))}`
      } catch (err) {
        outcome = `fails: ${err instanceof Error ? err.message : String(err)}`
      }
      const mismatches = oldReader.fields.filter((f) => f.malformed).map((f) => f.malformed!)
      ctx.note(
        'serialization.evolve.renumber',
        {
          en: `Renumbering: the writer now sends sensor as field 3 and timestamp as field 2. The bytes are valid Protobuf, but the old reader trusts the numbers: ${mismatches.join('; ') || 'no field changed wire type'}. protobufjs with the old schema ${outcome}. Field numbers are the contract: never reuse or renumber them (reserve retired ones).`,
          pt: `Renumeração: o escritor envia agora sensor como campo 3 e timestamp como campo 2. Os bytes são Protobuf válido, mas o leitor antigo confia nos números: ${mismatches.join('; ') || 'nenhum campo mudou de wire type'}. O protobufjs com o schema antigo ${outcome.replace('decodes without complaint', 'decodifica sem reclamar').replace('fails', 'falha')}. Os números dos campos são o contrato: nunca os reutilize nem renumere (reserve os retirados).`
        },
        'warn'
      )
      return { size: pb.length, mismatches, outcome }
    }

    const decodeUser = (p: ParamValues): unknown => {
      const bytes = parseBytes(String(p.input ?? ''))
      const format = String(p.format ?? 'protobuf') as FormatId
      if (!FORMATS.includes(format)) throw new Error(`unknown format ${format}`)
      const schemaText = String(p.schema ?? '').trim()
      const typeName = String(p.type ?? '').trim()
      let layout: Layout
      let raw: string | null = null
      let label = FORMAT_LABELS[format]
      if (format === 'protobuf') {
        let type: protobuf.Type | undefined
        if (schemaText) {
          const root = protobuf.parse(schemaText, { keepCase: true }).root
          root.resolveAll()
          if (typeName) type = root.lookupType(typeName)
          else {
            const first = root.nestedArray.find((n): n is protobuf.Type => n instanceof protobuf.Type)
            if (!first) throw new Error('the .proto defines no message type')
            type = first
          }
          label = `Protobuf (${type.name})`
        } else if (typeName) {
          type = protoType(protoText(), typeName)
          label = `Protobuf (${type.name})`
        } else label = 'Protobuf (no schema)'
        layout = dissectProtobuf(bytes, type)
        if (!type) raw = decodeRawText(bytes)
      } else if (format === 'avro' && schemaText) {
        const schema = JSON.parse(schemaText) as avro.Schema
        layout = dissectAvro(bytes, schema)
      } else layout = dissectFormat(format, bytes, {})
      batch++
      emit(format, bytes, layout, 'user', {}, `${label}, your bytes`)
      ctx.note(
        'serialization.decode',
        {
          en: layout.malformed
            ? `Your ${bytes.length} bytes as ${label}: malformed at bytes ${layout.malformed.start}–${layout.malformed.end}: ${layout.malformed.reason}.`
            : `Your ${bytes.length} bytes as ${label}: ${layout.summary}.`,
          pt: layout.malformed
            ? `Seus ${bytes.length} bytes como ${label}: malformado nos bytes ${layout.malformed.start}–${layout.malformed.end}: ${layout.malformed.reason}.`
            : `Seus ${bytes.length} bytes como ${label}: ${layout.summary}.`
        },
        layout.malformed ? 'warn' : 'info'
      )
      return {
        size: bytes.length,
        summary: layout.summary,
        malformed: layout.malformed ?? null,
        decodeRaw: raw
      }
    }

    const send = async (p: ParamValues): Promise<unknown> => {
      const reading = readingFrom(p)
      const o = schemaOf(p)
      const problem = validateReading(reading, o)
      if (problem) throw new Error(problem)
      const which = String(p.wireFormat ?? 'protobuf')
      const formats: FormatId[] = which === 'all' ? [...FORMATS] : [which as FormatId]
      ctx.note('serialization.wire', {
        en: `On the wire: the client connects to ${port} and sends ${formats.map((f) => FORMAT_LABELS[f]).join(', ')}. TCP carries a byte stream with no message boundaries, so each message goes in a 6-byte frame (format, schema variant, 4-byte length); the receiver decodes it with the library and answers in JSON.`,
        pt: `Na rede: o cliente se conecta à porta ${port} e envia ${formats.map((f) => FORMAT_LABELS[f]).join(', ')}. O TCP transporta um fluxo de bytes sem fronteiras de mensagem, por isso cada mensagem vai num quadro de 6 bytes (formato, variante do schema, tamanho de 4 bytes); o receptor a decodifica com a biblioteca e responde em JSON.`
      })
      const socket = await ctx.connectTcp({ node: 'sender', label: 'Sender' }, port)
      const frames = formats.map((f) => frame(f, o, ENCODERS[f](reading, o)))
      const replies = await exchange(socket, frames)
      return { port, sent: frames.map((f) => f.length), replies }
    }

    const hints = (): ClientHint[] => [
      {
        title: { en: 'Send your own JSON frame (Python)', pt: 'Envie seu próprio quadro JSON (Python)' },
        command: 'python3 send_reading.py',
        file: {
          name: 'send_reading.py',
          language: 'python',
          content: `# send_reading.py — a reading in a frame: format byte (0 = JSON), schema byte, 4-byte length
import json, socket, struct

payload = json.dumps({"temperatura": 23.5, "sensor": "A1"}).encode()
with socket.create_connection(("127.0.0.1", ${port})) as s:
    s.sendall(bytes([0, 0]) + struct.pack(">I", len(payload)) + payload)
    header = s.recv(6)
    print(s.recv(struct.unpack(">I", header[2:])[0]).decode())
`
        }
      },
      {
        title: { en: 'Decode Protobuf bytes from the shell', pt: 'Decodificar bytes Protobuf no terminal' },
        command: `printf '\\x08\\x96\\x01' | protoc --decode_raw`
      }
    ]

    // The first encoding appears as soon as the lesson runs (after its `scene started` event).
    let stopped = false
    ctx.onStop(() => {
      stopped = true
    })
    const initial = new Promise<void>((resolve) => {
      setTimeout(() => {
        try {
          if (!stopped) {
            ctx.note('serialization.intro', {
              en: 'The course notes compare {"temperatura": 23.5, "sensor": "A1"} in JSON with 7 bytes of Protobuf, 08 97 01 12 02 41 31. That JSON text is 37 bytes (34 without the spaces). Those 7 bytes hold field 1 as a varint (the integer 151) and field 2 = "A1". Here the real encoders write the same reading with temperatura as a double, a timestamp and a list.',
              pt: 'As notas do curso comparam {"temperatura": 23.5, "sensor": "A1"} em JSON com 7 bytes de Protobuf, 08 97 01 12 02 41 31. Esse texto JSON tem 37 bytes (34 sem os espaços). Esses 7 bytes contêm o campo 1 como varint (o inteiro 151) e o campo 2 = "A1". Aqui os codificadores reais escrevem a mesma leitura com temperatura como double, um timestamp e uma lista.'
            })
            encode(params)
          }
        } catch (err) {
          ctx.note(
            'serialization.error',
            { en: `Encoding failed: ${String(err)}`, pt: `A codificação falhou: ${String(err)}` },
            'error'
          )
        }
        resolve()
      }, 0)
    })

    const action = async (id: string, args: ParamValues): Promise<ActionResult> => {
      await initial
      const p = { ...params, ...args }
      switch (id) {
        case 'encode': {
          const all = encode(p)
          return ok(undefined, { sizes: Object.fromEntries(all.map((e) => [e.format, e.bytes.length])) })
        }
        case 'evolve-add':
          return ok(undefined, evolveAdd(p))
        case 'evolve-renumber':
          return ok(undefined, evolveRenumber(p))
        case 'decode':
          return ok(undefined, decodeUser(p))
        case 'send':
          return ok(undefined, await send(p))
        default:
          return fail({ en: `Unknown action ${id}`, pt: `Ação desconhecida ${id}` })
      }
    }

    return {
      ports: [tap.port],
      hints,
      action,
      async script() {
        // `wirelab run` prints the first encoding: one pdu per format.
        await initial
      }
    }
  }
}
