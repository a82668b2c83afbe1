// The seed's echo servers ("Sockets: A Base"): what arrives is sent back. They listen on hidden
// ephemeral ports; the taps in front of them own the public port 65432.
import net from 'node:net'
import dgram from 'node:dgram'
import { LOOPBACK, bindUdp, listenTcp } from '../../net/ports'

export async function startTcpEcho(): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('data', (chunk) => socket.write(chunk))
    socket.on('end', () => socket.end())
    socket.on('error', () => socket.destroy())
  })
  const port = await listenTcp(server, 0, LOOPBACK)
  return { server, port }
}

export async function startUdpEcho(): Promise<{ socket: dgram.Socket; port: number }> {
  const socket = dgram.createSocket('udp4')
  socket.on('message', (msg, rinfo) => socket.send(msg, rinfo.port, rinfo.address))
  socket.on('error', () => undefined)
  const port = await bindUdp(socket, 0, LOOPBACK)
  return { socket, port }
}
