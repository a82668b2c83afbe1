// A bridge client in a worker thread (its own event loop, as a renderer has): follows the log and
// decodes every packet back to events, recording each event's latency from its `t`.
import { parentPort, workerData } from 'node:worker_threads'
import { BridgeClient } from '../../src/main/bridge-client'

const { port, pduOnly } = workerData as { port: number; pduOnly: boolean }
const lat: number[] = []
let received = 0
let maxSeq = 0

void (async () => {
  const client = await BridgeClient.open(port, false)
  client.onPacket((_r, events) => {
    const at = performance.timeOrigin + performance.now()
    for (const e of events) {
      if (e.seq <= maxSeq) continue
      maxSeq = e.seq
      received++
      if (!pduOnly || e.kind === 'pdu') lat.push(at - e.t)
    }
  })
  await client.follow(1)
  parentPort!.postMessage({ type: 'open' })
  parentPort!.on('message', (m) => {
    if (m === 'count') parentPort!.postMessage({ type: 'count', received })
    if (m === 'stats')
      parentPort!.postMessage({ type: 'stats', received, biggest: client.biggestPacket, gaps: client.gaps, lat })
    if (m === 'close') {
      client.close()
      parentPort!.close()
    }
  })
})()
