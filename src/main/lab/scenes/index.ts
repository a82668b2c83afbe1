// Every lesson the engine knows, in picker order. A new lesson adds one import and one entry.
import type { SceneInfo } from '../../../shared/scene'
import type { SceneDef } from './types'
import { tcpUdpEcho } from './tcp-udp-echo'
import { tcpHandshake } from './tcp-handshake'
import { websocketScene } from './websocket'
import { tlsScene } from './tls'
import { sseScene } from './sse'
import { rest } from './rest'
import { http2Scene } from './http2'
import { httpRace } from './http-race'
import { mqtt } from './mqtt'
import { rabbitmq } from './rabbitmq'
import { zeromq } from './zeromq'
import { serialization } from './serialization'
import { watchScene } from './watch'
import { grpcScene } from './grpc'
import { apiCompare } from './api-compare'
import { thriftScene } from './thrift'
import { portsLayers } from './ports-layers'
import { blockingAsync } from './blocking-async'
import { buffers } from './buffers'
import { sparkS3 } from './spark-s3'
import { dashboard } from './dashboard'

const scenes: SceneDef[] = [
  // Fundamentos
  tcpUdpEcho,
  tcpHandshake,
  portsLayers,
  blockingAsync,
  buffers,
  watchScene,
  // Web
  rest,
  http2Scene,
  httpRace,
  websocketScene,
  sseScene,
  tlsScene,
  // Mensageria
  mqtt,
  rabbitmq,
  zeromq,
  // RPC e serialização
  serialization,
  grpcScene,
  apiCompare,
  thriftScene,
  // Dados
  sparkS3,
  dashboard
]

export function sceneList(): SceneInfo[] {
  return scenes.map((s) => s.info)
}

export function findScene(id: string): SceneDef | undefined {
  return scenes.find((s) => s.info.id === id)
}
