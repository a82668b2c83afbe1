// Built-in echo clients: what the seed's tcp_client.py and udp_client.py do.
import type net from 'node:net'
import type dgram from 'node:dgram'
import { LOOPBACK } from '../../net/ports'

/** Sends `message`, waits for the whole echo (or `timeoutMs`), then closes with FIN. */
export function tcpEchoExchange(socket: net.Socket, message: Uint8Array, timeoutMs = 3000): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let got = 0
    const timer = setTimeout(() => finish(new Error(`no echo within ${timeoutMs} ms`)), timeoutMs)
    const finish = (err?: Error): void => {
      clearTimeout(timer)
      socket.off('data', onData)
      const echo = new Uint8Array(Buffer.concat(chunks))
      socket.once('close', () => (err ? reject(err) : resolve(echo)))
      socket.end()
    }
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk)
      got += chunk.length
      if (got >= message.length) finish()
    }
    socket.on('data', onData)
    socket.on('end', () => socket.end())
    socket.once('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    socket.write(message)
  })
}

/** Sends one datagram and waits for one back. */
export function udpEchoExchange(
  socket: dgram.Socket,
  port: number,
  message: Uint8Array,
  timeoutMs = 3000
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('message', onMessage)
      reject(new Error(`no UDP echo within ${timeoutMs} ms (UDP gives no guarantee of delivery)`))
    }, timeoutMs)
    const onMessage = (msg: Buffer): void => {
      clearTimeout(timer)
      socket.off('message', onMessage)
      resolve(new Uint8Array(msg))
    }
    socket.on('message', onMessage)
    socket.send(message, port, LOOPBACK)
  })
}
