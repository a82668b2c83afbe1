// Lesson "gRPC" as data: its parameters, actions, views, ports and checkpoints (seeds 000, 001:
// sensor.proto, port 50051, "HTTP/2 + Protobuf", the four call types).
import type { ParamValues } from '../../../../shared/events'
import type { ActionDef, ActionResult, CheckpointInfo, SceneInfo } from '../../../../shared/scene'
import { actionDefs, type LessonAction } from '../types'

export const GRPC_PORT = 50051

const SENSOR_HELP = {
  en: 'A1, B2 and C3 exist; any other id gets NOT_FOUND.',
  pt: 'A1, B2 e C3 existem; qualquer outro id recebe NOT_FOUND.'
}

export const CHECKPOINTS = {
  streams: {
    id: 'grpc-streams',
    action: 'four-types',
    question: {
      en: 'The four calls (unary, server streaming, client streaming, bidirectional) go over ONE TCP connection. How many HTTP/2 streams will they use?',
      pt: 'As quatro chamadas (unária, streaming do servidor, streaming do cliente, bidirecional) vão por UMA conexão TCP. Quantos streams HTTP/2 elas vão usar?'
    },
    choices: [
      {
        id: '1',
        label: { en: '1: all calls share one stream', pt: '1: todas as chamadas dividem um stream' }
      },
      { id: '4', label: { en: '4: one stream per call', pt: '4: um stream por chamada' } },
      { id: 'per-message', label: { en: 'One per message', pt: 'Um por mensagem' } }
    ],
    source: 'seed 001, "4 tipos de comunicação gRPC"'
  },
  prefix: {
    id: 'grpc-prefix',
    action: 'unary',
    question: {
      en: 'GetTemperatura sends a SensorRequest. How many bytes does gRPC put in front of the protobuf message inside the HTTP/2 DATA frame?',
      pt: 'GetTemperatura envia um SensorRequest. Quantos bytes o gRPC coloca na frente da mensagem protobuf dentro do frame DATA do HTTP/2?'
    },
    choices: [
      {
        id: '0',
        label: { en: 'None: the DATA frame is the protobuf', pt: 'Nenhum: o frame DATA é o protobuf' }
      },
      { id: '2', label: { en: '2', pt: '2' } },
      { id: '5', label: { en: '5', pt: '5' } },
      { id: '9', label: { en: '9', pt: '9' } }
    ],
    source: 'seed 001, "HTTP/2 como transporte"'
  },
  deadline: {
    id: 'grpc-deadline',
    action: 'deadline',
    question: {
      en: 'The client gives StreamLeituras a deadline shorter than the stream lasts. What ends the call on the wire?',
      pt: 'O cliente dá ao StreamLeituras um prazo (deadline) menor que a duração do stream. O que encerra a chamada no fio?'
    },
    choices: [
      {
        id: 'client-rst',
        label: {
          en: 'The client resets the stream (RST_STREAM CANCEL)',
          pt: 'O cliente reseta o stream (RST_STREAM CANCEL)'
        }
      },
      {
        id: 'server-status',
        label: {
          en: 'The server sends trailers with grpc-status DEADLINE_EXCEEDED',
          pt: 'O servidor envia trailers com grpc-status DEADLINE_EXCEEDED'
        }
      },
      { id: 'tcp-close', label: { en: 'The TCP connection is closed', pt: 'A conexão TCP é fechada' } }
    ]
  },
  curl: {
    id: 'grpc-curl',
    action: 'http1',
    question: {
      en: 'Plain curl sends an HTTP/1.1 "GET /" to the gRPC port. What comes back?',
      pt: 'O curl simples envia um "GET /" HTTP/1.1 para a porta gRPC. O que volta?'
    },
    choices: [
      {
        id: 'http1-error',
        label: {
          en: 'An HTTP/1.1 error (400 or 404) with a text body',
          pt: 'Um erro HTTP/1.1 (400 ou 404) com corpo em texto'
        }
      },
      {
        id: 'http2-frames',
        label: {
          en: 'Binary HTTP/2 frames: the server only speaks HTTP/2',
          pt: 'Frames HTTP/2 binários: o servidor só fala HTTP/2'
        }
      },
      { id: 'nothing', label: { en: 'Nothing: the connection is refused', pt: 'Nada: a conexão é recusada' } }
    ],
    source: 'seed 001, "Checkpoint: Teste seu Entendimento", question 2 (curl on a binary port)'
  }
} satisfies Record<string, CheckpointInfo>

/** The lesson's steps, one per action (the scene's `start` builds them on its servers and clients). */
export type GrpcLesson = Record<GrpcLessonActionId, (args: ParamValues) => Promise<ActionResult>>
type GrpcLessonActionId =
  | 'four-types'
  | 'unary'
  | 'server-streaming'
  | 'client-streaming'
  | 'bidi-send'
  | 'bidi-half-close'
  | 'bidi-cancel'
  | 'cancel'
  | 'deadline'
  | 'not-found'
  | 'concurrent'
  | 'large'
  | 'http1'

/** What people see of each action; `run` calls the step of the same id. */
const ACTION_DEFS: (ActionDef & { id: GrpcLessonActionId })[] = [
  {
    id: 'four-types',
    label: { en: 'The four call types', pt: 'Os quatro tipos de chamada' },
    help: {
      en: 'GetTemperatura (unary), StreamLeituras (server streaming), EnviarLeituras (client streaming) and Conversar (bidirectional), one after the other on one connection.',
      pt: 'GetTemperatura (unária), StreamLeituras (streaming do servidor), EnviarLeituras (streaming do cliente) e Conversar (bidirecional), uma após a outra numa conexão.'
    },
    primary: true
  },
  {
    id: 'unary',
    label: { en: 'Unary: GetTemperatura', pt: 'Unária: GetTemperatura' },
    help: { en: '1 request → 1 response.', pt: '1 requisição → 1 resposta.' }
  },
  {
    id: 'server-streaming',
    label: { en: 'Server streaming: StreamLeituras', pt: 'Streaming do servidor: StreamLeituras' },
    help: {
      en: '1 request → N responses, one per interval.',
      pt: '1 requisição → N respostas, uma por intervalo.'
    }
  },
  {
    id: 'client-streaming',
    label: { en: 'Client streaming: EnviarLeituras', pt: 'Streaming do cliente: EnviarLeituras' },
    help: {
      en: 'N readings uploaded, then half-close; 1 summary back.',
      pt: 'N leituras enviadas, depois half-close; 1 resumo de volta.'
    }
  },
  {
    id: 'bidi-send',
    label: { en: 'Bidirectional: send one message', pt: 'Bidirecional: enviar uma mensagem' },
    help: {
      en: 'Each click sends ONE message on the open Conversar call (opening it the first time); the server answers each.',
      pt: 'Cada clique envia UMA mensagem na chamada Conversar aberta (e a abre na primeira vez); o servidor responde cada uma.'
    }
  },
  {
    id: 'bidi-half-close',
    label: { en: 'Bidirectional: half-close (END_STREAM)', pt: 'Bidirecional: half-close (END_STREAM)' },
    help: {
      en: 'The client says it will send no more; the server can still answer, then ends the call with its trailers.',
      pt: 'O cliente avisa que não envia mais; o servidor ainda pode responder e encerra a chamada com os trailers.'
    }
  },
  {
    id: 'bidi-cancel',
    label: { en: 'Bidirectional: cancel (RST_STREAM)', pt: 'Bidirecional: cancelar (RST_STREAM)' },
    help: {
      en: 'The call is abandoned at once: no trailers, the stream is reset.',
      pt: 'A chamada é abandonada na hora: sem trailers, o stream é resetado.'
    }
  },
  {
    id: 'cancel',
    label: { en: 'Cancel a stream mid-way', pt: 'Cancelar um stream no meio' },
    help: {
      en: 'StreamLeituras cancelled by the client after 2 readings: RST_STREAM (CANCEL).',
      pt: 'StreamLeituras cancelado pelo cliente após 2 leituras: RST_STREAM (CANCEL).'
    }
  },
  {
    id: 'deadline',
    label: { en: 'Exceed a deadline', pt: 'Estourar o prazo (deadline)' },
    help: {
      en: 'StreamLeituras with a deadline shorter than the stream: DEADLINE_EXCEEDED.',
      pt: 'StreamLeituras com prazo menor que o stream: DEADLINE_EXCEEDED.'
    }
  },
  {
    id: 'not-found',
    label: { en: 'Unknown sensor (NOT_FOUND)', pt: 'Sensor desconhecido (NOT_FOUND)' },
    help: {
      en: 'GetTemperatura for sensor "ZZ": HTTP says 200, the trailers say NOT_FOUND.',
      pt: 'GetTemperatura do sensor "ZZ": o HTTP diz 200, os trailers dizem NOT_FOUND.'
    }
  },
  {
    id: 'concurrent',
    label: { en: 'Four calls at once, one connection', pt: 'Quatro chamadas ao mesmo tempo, uma conexão' },
    help: {
      en: 'All four call types started together: their frames interleave on one TCP connection.',
      pt: 'Os quatro tipos iniciados juntos: seus frames se intercalam numa única conexão TCP.'
    }
  },
  {
    id: 'large',
    label: { en: 'A message bigger than one DATA frame', pt: 'Uma mensagem maior que um frame DATA' },
    help: {
      en: 'A 40 000-character chat message: HTTP/2 splits it into DATA frames of at most 16 384 bytes; Wirelab reassembles the gRPC message.',
      pt: 'Uma mensagem de 40 000 caracteres: o HTTP/2 a divide em frames DATA de no máximo 16 384 bytes; o Wirelab remonta a mensagem gRPC.'
    }
  },
  {
    id: 'http1',
    label: {
      en: 'Plain HTTP/1.1 on the gRPC port (like curl)',
      pt: 'HTTP/1.1 simples na porta gRPC (como o curl)'
    },
    help: {
      en: 'What "curl http://127.0.0.1:50051/" really gets: HTTP/2 frames in answer to an HTTP/1.1 request.',
      pt: 'O que "curl http://127.0.0.1:50051/" recebe de verdade: frames HTTP/2 em resposta a uma requisição HTTP/1.1.'
    }
  }
]

/** The default script (`wirelab run`) performs these, in this order. */
const SCRIPT: GrpcLessonActionId[] = ['four-types']

export const ACTIONS: readonly LessonAction<GrpcLesson>[] = ACTION_DEFS.map((d) => ({
  ...d,
  script: SCRIPT.includes(d.id),
  run: (lesson, args) => lesson[d.id](args)
}))

export const grpcInfo: SceneInfo = {
  id: 'grpc',
  group: 'rpc',
  title: {
    en: 'gRPC: the four call types, unwrapped',
    pt: 'gRPC: os quatro tipos de chamada, desembrulhados'
  },
  summary: {
    en: 'The course’s sensor.proto served by a real grpc-js server on 50051. Each call is one HTTP/2 stream; each message is a 5-byte prefix and protobuf inside DATA frames; the status comes in the trailers.',
    pt: 'O sensor.proto do curso servido por um servidor grpc-js real na 50051. Cada chamada é um stream HTTP/2; cada mensagem é um prefixo de 5 bytes e protobuf dentro de frames DATA; o status vem nos trailers.'
  },
  goal: {
    en: 'gRPC = a .proto contract + HTTP/2 + Protobuf. One call = one HTTP/2 stream: HEADERS with the method path, DATA frames carrying length-prefixed messages, and trailers with grpc-status. Unary, server streaming, client streaming and bidirectional are the same frames in different numbers.',
    pt: 'gRPC = um contrato .proto + HTTP/2 + Protobuf. Uma chamada = um stream HTTP/2: HEADERS com o caminho do método, frames DATA com mensagens prefixadas pelo tamanho e trailers com grpc-status. Unária, streaming do servidor, do cliente e bidirecional são os mesmos frames em quantidades diferentes.'
  },
  params: [
    {
      id: 'sensor',
      label: { en: 'Sensor id (sensor_id)', pt: 'Id do sensor (sensor_id)' },
      type: 'string',
      default: 'A1',
      help: SENSOR_HELP
    },
    {
      id: 'readings',
      label: { en: 'Readings per stream (ultimos_minutos)', pt: 'Leituras por stream (ultimos_minutos)' },
      type: 'number',
      default: 4,
      min: 1,
      max: 50,
      step: 1
    },
    {
      id: 'interval',
      label: {
        en: 'Interval between streamed messages (ms)',
        pt: 'Intervalo entre mensagens do stream (ms)'
      },
      type: 'number',
      default: 150,
      min: 0,
      max: 5000,
      step: 50
    },
    {
      id: 'deadline',
      label: { en: 'Deadline for the "deadline" call (ms)', pt: 'Prazo da chamada "deadline" (ms)' },
      type: 'number',
      default: 250,
      min: 1,
      max: 60_000,
      step: 50,
      help: {
        en: 'Shorter than readings × interval, so the call runs out of time.',
        pt: 'Menor que leituras × intervalo, para a chamada estourar o prazo.'
      }
    },
    {
      id: 'message',
      label: { en: 'Bidirectional chat message (texto)', pt: 'Mensagem do chat bidirecional (texto)' },
      type: 'string',
      default: 'Qual a temperatura do A1?'
    }
  ],
  actions: actionDefs(ACTIONS),
  views: ['grpc', 'bytes', 'sequence', 'packets'],
  ports: [{ name: 'grpc', transport: 'tcp', preferred: GRPC_PORT }],
  checkpoints: Object.values(CHECKPOINTS)
}
