// Regenerates the RabbitMQ lesson's recorded session (resources/recordings/rabbitmq.json) from the
// RabbitMQ installed on this machine: the live lesson runs each moment, and the events each one
// logged are kept, labelled with the RabbitMQ and amqplib versions.
//   node --import tsx src/main/lab/scenes/rabbitmq/record-session.ts
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Lab } from '../../lab'
import { saveRecording, segmentOf, type Recording } from '../recording'
import { RECORDING } from './index'

export const RECORDED_ACTIONS = ['route-three-ways', 'work-queue', 'prefetch-hog', 'nack-requeue', 'durable-restart'] as const

/** Runs `actions` on a lesson already started live in `lab`; returns the recording. */
export async function recordActions(lab: Lab, actions: readonly string[] = RECORDED_ACTIONS): Promise<Recording> {
  const broker = lab.session.events.find((e) => e.kind === 'node' && e.node === 'rabbitmq')
  const version = broker && broker.kind === 'node' ? (/RabbitMQ ([\d.]+)/.exec(broker.label)?.[1] ?? 'unknown') : 'unknown'
  const out: Recording = {
    format: 'wirelab-recording',
    version: 1,
    scene: 'rabbitmq',
    server: { name: 'RabbitMQ', version },
    recordedWith: { amqplib: (JSON.parse(readFileSync(path.join(path.dirname(require.resolve('amqplib')), 'package.json'), 'utf8')) as { version: string }).version },
    recorded: new Date().toISOString(),
    recordedBy: 'node --import tsx src/main/lab/scenes/rabbitmq/record-session.ts',
    actions: {}
  }
  for (const id of actions) {
    const from = lab.session.size
    const r = await lab.action(id, {})
    if (!r.ok) throw new Error(`${id}: ${r.message?.en ?? 'failed'}`)
    out.actions[id] = segmentOf(lab.session.events, from)
  }
  return out
}

async function main(): Promise<void> {
  const lab = new Lab({ ephemeralPorts: true })
  try {
    await lab.start('rabbitmq', { broker: 'installed' })
    const rec = await recordActions(lab)
    saveRecording(RECORDING(), rec)
    process.stderr.write(`wrote ${Object.values(rec.actions).reduce((n, a) => n + a.length, 0)} events (RabbitMQ ${rec.server.version}) to ${RECORDING()}\n`)
  } finally {
    await lab.stop()
  }
}

if (require.main === module)
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err)
      process.exit(1)
    }
  )
