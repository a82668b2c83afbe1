// Every lesson the engine knows, in picker order. A new lesson adds one import and one entry.
import type { SceneInfo } from '../../../shared/scene'
import type { SceneDef } from './types'
import { tcpUdpEcho } from './tcp-udp-echo'
import { tcpHandshake } from './tcp-handshake'
import { websocketScene } from './websocket'
import { rest } from './rest'

const scenes: SceneDef[] = [
  tcpUdpEcho,
  tcpHandshake,
  websocketScene,
  rest
]

export function sceneList(): SceneInfo[] {
  return scenes.map((s) => s.info)
}

export function findScene(id: string): SceneDef | undefined {
  return scenes.find((s) => s.info.id === id)
}
