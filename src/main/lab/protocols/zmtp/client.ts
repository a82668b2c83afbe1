// Built-in ZeroMQ sockets (the zeromq package's libzmq). libzmq opens its own TCP connections,
// so a built-in socket connects from a local port claimed for its actor: libzmq's
// `tcp://source;destination` endpoint syntax picks the source address and port.
import type * as zmq from 'zeromq'

/** `tcp://127.0.0.1:<local>;<host>:<port>`: connect to host:port from 127.0.0.1:local. */
export const fromPort = (localPort: number, port: number, host = '127.0.0.1'): string => `tcp://127.0.0.1:${localPort};${host}:${port}`

/** The port a socket bound to `tcp://127.0.0.1:0` got. */
export function boundPort(socket: zmq.Socket): number {
  const port = Number(/:(\d+)$/.exec(socket.lastEndpoint ?? '')?.[1])
  if (!Number.isInteger(port) || port <= 0) throw new Error(`socket is not bound to a TCP port (${socket.lastEndpoint ?? 'no endpoint'})`)
  return port
}
