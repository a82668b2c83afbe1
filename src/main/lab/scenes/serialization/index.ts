// Lesson "Serialization byte layouts" (seed 001 "Por que binário é mais rápido?", "Serialização:
// Protobuf vs JSON vs Avro"; seed 003 Protocol Buffers): one sensor reading encoded by the real
// libraries — JSON, Protobuf, Avro, MessagePack, CBOR, Thrift binary and compact — every byte
// accounted for; schema evolution; bring your own bytes; and the message sent over a real socket.
import type { ParamValues } from '../../../../shared/events'
import type { ActionResult, ClientHint } from '../../../../shared/scene'
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
import { INFO, PORT } from './info'
import { fail, ok, type SceneDef } from '../types'
import { parseBytes } from '../../protocols/serialization/bytes-input'
import protobuf from 'protobufjs'
import type avro from 'avsc'
import { dissectAvro } from '../../protocols/serialization/avro-layout'
import { PROTOBUF_SIZE, SCHEMA_EVOLUTION, revealProtobufSize, revealSchemaEvolution } from './checkpoints'
import { named } from '../../tap/actors'

/** The pseudo-connection the encoder's PDUs belong to (they come from no socket: offset −1). */
export const ENCODER_CONN = 'encoder'
const FIELD_LIST = FIELD_KEYS.join(',')

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
  info: INFO,

  async start(ctx: SceneContext, params) {
    const receiver = await startReceiver()
    ctx.own(receiver.server)
    const tap = await ctx.tcpTap({
      name: 'serialization',
      preferredPort: PORT,
      target: { host: '127.0.0.1', port: receiver.port },
      dissector: 'serialization-wire',
      server: named('receiver', { en: 'Receiver (decodes with the libraries)', pt: 'Receptor (decodifica com as bibliotecas)' })
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

    /** Protobuf bytes of the `writer` schema, read (and shown) with the lesson's base schema (v1). */
    const withOldReader = (
      p: ParamValues,
      writer: (base: SchemaOptions) => SchemaOptions,
      schema: string,
      label: string
    ) => {
      const reading = readingFrom(p)
      const base = schemaOf(p)
      const written = writer(base)
      batch++
      const pb = ENCODERS.protobuf(reading, written)
      const oldReader = dissectProtobuf(pb, protoType(protoText(base)))
      emit('protobuf', pb, oldReader, 'evolution', { schema }, label)
      return { reading, base, written, pb, oldReader }
    }

    const evolveAdd = (p: ParamValues): unknown => {
      // Protobuf: v2 writer, v1 reader.
      const {
        reading,
        base,
        written: v2,
        pb
      } = withOldReader(
        p,
        (b) => ({ ...b, addUnidade: true }),
        'writer v2, reader v1',
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
      const { base, pb, oldReader } = withOldReader(
        p,
        (b) => ({ ...b, renumber: true }),
        'writer renumbered, reader v1',
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
      const socket = await ctx.connectTcp(named('sender', { en: 'Sender', pt: 'Emissor' }), port)
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
          const all = await ctx.checkpoint(PROTOBUF_SIZE, async () => encode(p), revealProtobufSize)
          return ok(undefined, { sizes: Object.fromEntries(all.map((e) => [e.format, e.bytes.length])) })
        }
        case 'evolve-add':
          return ok(
            undefined,
            await ctx.checkpoint(
              SCHEMA_EVOLUTION,
              async () => evolveAdd(p) as Record<string, { size: number; oldReader?: unknown }>,
              (events, result) => revealSchemaEvolution(events, ctx.session.events, result)
            )
          )
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
