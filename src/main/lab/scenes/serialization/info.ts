// The serialization lesson as data: its parameters (the reading, the schema variant) and actions
// (encode, schema evolution, decode your own bytes, send on a socket).
import type { ParamDef, SceneInfo } from '../../../../shared/scene'
import { PROTOBUF_SIZE, SCHEMA_EVOLUTION } from './checkpoints'
import { DEFAULT_READING, FORMATS, FORMAT_LABELS } from '../../protocols/serialization/record'

export const PORT = 9091

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
      pt: 'Vazio: o Protobuf é decodificado sem schema (como protoc --decode_raw); o Avro usa o schema da aula.'
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
    label: { en: 'Format to send', pt: 'Formato para enviar' },
    type: 'select',
    default: 'protobuf',
    options: [...formatOptions, { value: 'all', label: { en: 'All formats', pt: 'Todos os formatos' } }]
  }
]

export const INFO: SceneInfo = {
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
  ports: [{ name: 'serialization', transport: 'tcp', preferred: PORT }],
  tagline: { en: 'One reading in JSON, Protobuf, Avro, MessagePack, CBOR and Thrift, byte by byte', pt: 'Uma leitura em JSON, Protobuf, Avro, MessagePack, CBOR e Thrift, byte a byte' },
  protocols: ['json', 'protobuf', 'avro', 'msgpack', 'cbor', 'thrift'],
  checkpoints: [PROTOBUF_SIZE, SCHEMA_EVOLUTION]
}
