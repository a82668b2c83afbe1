// Test support for the views' models: a lesson run by the real engine on ephemeral ports, its
// events passed through the wire form, exactly as the renderer receives them.
import type { LabEvent, PduEvent } from '@shared/events'
import { fromWire, toWire } from '@shared/wire'
import { Lab } from '../../../main/lab/lab'

/** An action id, or an action id with its arguments. */
export type Step = string | [string, Record<string, unknown>]

/** Starts `scene`, runs the actions in order (each must succeed), stops it, returns the log. */
export async function recordLesson(
  scene: string,
  steps: Step[],
  params: Record<string, unknown> = {}
): Promise<LabEvent[]> {
  const lab = new Lab({ ephemeralPorts: true })
  try {
    await lab.start(scene, params)
    for (const step of steps) {
      const [id, args] = typeof step === 'string' ? [step, {}] : step
      const r = await lab.action(id, args)
      if (!r.ok) throw new Error(`${scene}: action ${id} failed: ${JSON.stringify(r.message)}`)
    }
    return lab.session.events.map((e) => fromWire(JSON.parse(JSON.stringify(toWire(e)))))
  } finally {
    await lab.stop()
  }
}

export function pdusOf(events: readonly LabEvent[]): PduEvent[] {
  return events.filter((e): e is PduEvent => e.kind === 'pdu')
}
