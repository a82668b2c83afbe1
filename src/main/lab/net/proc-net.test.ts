import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { isListening, parseProcNet, socketTable, TCP_LISTEN } from './proc-net'

describe('/proc/net tables', () => {
  it('parses addresses, ports, states and queues', () => {
    const text = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:FF98 00000000:0000 0A 00000002:00000003 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0
   1: 0100007F:C350 0100007F:FF98 01 00000010:00000000 00:00000000 00000000     0        0 67890 1 0000000000000000 20 4 30 10 -1`
    const [listen, conn] = parseProcNet(text)
    expect(listen).toMatchObject({ local: { host: '127.0.0.1', port: 65432 }, state: TCP_LISTEN, txQueue: 2, rxQueue: 3, inode: 12345 })
    expect(conn).toMatchObject({ local: { host: '127.0.0.1', port: 50000 }, remote: { host: '127.0.0.1', port: 65432 }, state: 1, txQueue: 16 })
  })

  it('sees a real listening socket without connecting to it', async () => {
    if (!socketTable('tcp')) return // not Linux: nothing to read, the callers say so
    const server = net.createServer()
    let accepted = 0
    server.on('connection', () => accepted++)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as net.AddressInfo).port
    try {
      expect(isListening(port)).toBe(true)
      expect(accepted).toBe(0)
    } finally {
      await new Promise((r) => server.close(r))
    }
    expect(isListening(port)).toBe(false)
  })
})
