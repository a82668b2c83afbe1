// The serialization view's and panel's own words, in the course's two languages.
export const S = {
  sizes: { en: 'Encoded size (bytes)', pt: 'Tamanho codificado (bytes)' },
  bytes: { en: 'bytes', pt: 'bytes' },
  framing: { en: 'framing', pt: 'estrutura' },
  framingHelp: {
    en: 'bytes that are not a value: braces, quotes, names, tags, lengths, type bytes',
    pt: 'bytes que não são valor: chaves, aspas, nomes, tags, tamanhos, bytes de tipo'
  },
  empty: {
    en: 'Start the lesson: the reading is encoded in every format.',
    pt: 'Inicie a lição: a leitura é codificada em todos os formatos.'
  },
  source: {
    encoder: {
      en: 'The same reading, encoded by each library',
      pt: 'A mesma leitura, codificada por cada biblioteca'
    },
    evolution: {
      en: 'Schema evolution: bytes from one schema, read with another',
      pt: 'Evolução de schema: bytes de um schema, lidos com outro'
    },
    user: { en: 'Your bytes', pt: 'Seus bytes' }
  },
  schema: {
    'writer v2, reader v1': { en: 'written with v2, read with v1', pt: 'escrito com v2, lido com v1' },
    'writer v2': { en: 'written with v2 (writer’s schema)', pt: 'escrito com v2 (schema do escritor)' },
    'writer renumbered, reader v1': {
      en: 'renumbered writer, v1 reader',
      pt: 'escritor renumerado, leitor v1'
    }
  } as Record<string, { en: string; pt: string }>,
  clickHint: {
    en: 'Click a byte or a field: its bytes light up here and in the byte inspector.',
    pt: 'Clique em um byte ou campo: seus bytes acendem aqui e no inspetor de bytes.'
  },
  tag: {
    title: { en: 'Protobuf tag byte', pt: 'Byte de tag do Protobuf' },
    fieldNumber: { en: 'field number', pt: 'número do campo' },
    wireType: { en: 'wire type', pt: 'wire type' },
    continuation: { en: 'more bytes follow?', pt: 'seguem mais bytes?' },
    formula: { en: 'tag = field number << 3 | wire type', pt: 'tag = número do campo << 3 | wire type' }
  },
  panel: {
    reading: { en: 'The reading', pt: 'A leitura' },
    live: {
      en: 'Edits re-encode every format live.',
      pt: 'Cada edição recodifica todos os formatos na hora.'
    },
    evolution: { en: 'Schema evolution', pt: 'Evolução de schema' },
    wire: { en: 'On the wire', pt: 'Na rede' },
    decode: { en: 'Decode your bytes', pt: 'Decodificar seus bytes' },
    input: { en: 'Hex or base64', pt: 'Hex ou base64' },
    format: { en: 'Format', pt: 'Formato' },
    schema: {
      en: '.proto text (optional) or Avro schema JSON',
      pt: 'Texto .proto (opcional) ou schema Avro em JSON'
    },
    type: { en: 'Message type (e.g. LeituraResponse)', pt: 'Tipo da mensagem (ex.: LeituraResponse)' },
    file: { en: 'or drop a file here', pt: 'ou solte um arquivo aqui' },
    all: { en: 'All formats', pt: 'Todos os formatos' }
  }
} as const
