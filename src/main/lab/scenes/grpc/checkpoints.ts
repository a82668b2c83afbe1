// The gRPC lesson's checkpoint answers, read from the events of the step they ask about.
import type { LabEvent, Localized, PduEvent } from '../../../../shared/events'
import type { GrpcKeys } from '../../../../shared/protocols/grpc'

type Reveal = { answer: string[]; explain: Localized }

export const grpcPdus = (events: readonly LabEvent[], kind?: GrpcKeys['grpc']): PduEvent[] =>
  events.filter(
    (e): e is PduEvent => e.kind === 'pdu' && e.protocol === 'grpc' && (!kind || e.keys?.grpc === kind)
  )

export function revealStreams(events: readonly LabEvent[]): Reveal {
  const calls = grpcPdus(events, 'call')
  const streams = [...new Set(calls.map((p) => Number(p.keys?.streamId)))]
  const conns = new Set(calls.map((p) => p.conn)).size
  const messages = grpcPdus(events, 'message').length
  const answer =
    streams.length === 1
      ? ['1']
      : streams.length === messages
        ? ['per-message']
        : streams.length === calls.length
          ? [String(streams.length)]
          : []
  return {
    answer: answer.length ? answer : [String(streams.length)],
    explain: {
      en: `${calls.length} calls used ${streams.length} streams (${streams.join(', ')}) on ${conns} TCP connection${conns === 1 ? '' : 's'}, carrying ${messages} messages: each call opens its own stream with HEADERS, and all its messages travel as DATA frames on it.`,
      pt: `${calls.length} chamadas usaram ${streams.length} streams (${streams.join(', ')}) em ${conns} conex${conns === 1 ? 'ão' : 'ões'} TCP, levando ${messages} mensagens: cada chamada abre seu próprio stream com HEADERS, e todas as suas mensagens viajam como frames DATA nele.`
    }
  }
}

export function revealPrefix(events: readonly LabEvent[]): Reveal {
  const m = grpcPdus(events, 'message').find((p) => p.dir === 'c2s' && !p.malformed)
  if (!m)
    return {
      answer: [],
      explain: { en: 'No request message was seen.', pt: 'Nenhuma mensagem de requisição foi vista.' }
    }
  const len = Number(m.keys?.length ?? 0)
  const prefix = m.data.length - len
  return {
    answer: [String(prefix)],
    explain: {
      en: `The DATA frame carried ${m.data.length} bytes: ${prefix} bytes of prefix (compressed flag ${m.data[0]}, then the length ${len} as 4 big-endian bytes) and ${len} bytes of ${String(m.keys?.messageType ?? 'protobuf')}.`,
      pt: `O frame DATA levou ${m.data.length} bytes: ${prefix} bytes de prefixo (flag de compressão ${m.data[0]}, depois o tamanho ${len} em 4 bytes big-endian) e ${len} bytes de ${String(m.keys?.messageType ?? 'protobuf')}.`
    }
  }
}

export function revealDeadline(events: readonly LabEvent[], timeoutMs: number): Reveal {
  const answer: string[] = []
  const reset = grpcPdus(events, 'reset').find((p) => p.dir === 'c2s')
  const status = grpcPdus(events, 'status').find((p) => p.keys?.status === 4)
  if (reset) answer.push('client-rst')
  if (status) answer.push('server-status')
  if (events.some((e) => e.kind === 'conn.close')) answer.push('tcp-close')
  const got = grpcPdus(events, 'message').filter((p) => p.dir === 's2c').length
  const parts: Localized[] = []
  if (reset)
    parts.push({
      en: 'the client sent RST_STREAM (CANCEL) when its deadline passed',
      pt: 'o cliente enviou RST_STREAM (CANCEL) quando o prazo acabou'
    })
  if (status)
    parts.push({
      en: 'the server sent trailers with grpc-status 4 (DEADLINE_EXCEEDED)',
      pt: 'o servidor enviou trailers com grpc-status 4 (DEADLINE_EXCEEDED)'
    })
  const both = (k: keyof Localized): string => parts.map((p) => p[k]).join(k === 'en' ? ' and ' : ' e ')
  return {
    answer,
    explain: {
      en: `Deadline ${timeoutMs} ms (sent as grpc-timeout): ${got} reading${got === 1 ? '' : 's'} arrived, then ${both('en') || 'nothing visible'}. The connection stays open for the next calls; the application sees DEADLINE_EXCEEDED.`,
      pt: `Prazo de ${timeoutMs} ms (enviado como grpc-timeout): chegaram ${got} leitura${got === 1 ? '' : 's'}, depois ${both('pt') || 'nada visível'}. A conexão continua aberta para as próximas chamadas; a aplicação vê DEADLINE_EXCEEDED.`
    }
  }
}

export function revealCurl(events: readonly LabEvent[]): Reveal {
  const h2: PduEvent[] = events.filter(
    (e): e is PduEvent => e.kind === 'pdu' && e.dir === 's2c' && e.protocol === 'http2'
  )
  const bytes = events.reduce((n, e) => n + (e.kind === 'bytes' && e.dir === 's2c' ? e.data.length : 0), 0)
  const frames = h2
    .map((p) => String(p.keys?.type ?? '?') + (p.keys?.error ? ` ${String(p.keys.error)}` : ''))
    .join(', ')
  const text = events.some(
    (e) =>
      e.kind === 'bytes' && e.dir === 's2c' && new TextDecoder().decode(e.data.subarray(0, 5)) === 'HTTP/'
  )
  return {
    answer: h2.length ? ['http2-frames'] : text ? ['http1-error'] : bytes === 0 ? ['nothing'] : [],
    explain: {
      en: `The server answered ${bytes} bytes: ${frames || 'no HTTP/2 frames'}. Not a status line, so curl stops with "Received HTTP/0.9 when not allowed". Like the Thrift port in the course's question, a binary protocol does not speak curl's HTTP/1.1.`,
      pt: `O servidor respondeu ${bytes} bytes: ${frames || 'nenhum frame HTTP/2'}. Não é uma linha de status, então o curl para com "Received HTTP/0.9 when not allowed". Como a porta Thrift da pergunta do curso, um protocolo binário não fala o HTTP/1.1 do curl.`
    }
  }
}
