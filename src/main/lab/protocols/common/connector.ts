// What a built-in client needs from the lesson that runs it, and nothing more: TCP connections
// announced as an actor (so the tap recognises them as Wirelab's own), and cleanup when the lesson
// stops. Protocols never see a scene; a scene passes its `SceneContext`, which implements this.
import type net from 'node:net'
import type { Actor } from '../../tap/actors'

export interface Connector {
  /** A TCP connection to `port` announced as `actor`, returned at once (what http.Agent needs). */
  tcpSocket(actor: Actor, port: number, host?: string): net.Socket
  /** Runs `fn` when the lesson stops. */
  onStop(fn: () => Promise<void> | void): void
}
