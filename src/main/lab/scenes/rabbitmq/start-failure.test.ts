// RabbitMQ that fails to start: a `rabbitmq-server` on PATH that exits at once with an error, as a
// broken installation would. The lesson says what happened and what to do; with "auto" it goes on
// with the recorded session, with "installed" it refuses to start; the session log stays whole.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NoteEvent } from '../../../../shared/events'
import { Lab } from '../../lab'

const saved = { PATH: process.env.PATH, ONLY: process.env.WIRELAB_ONLY_PATH }

beforeAll(() => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wirelab-broken-rabbit-'))
  const fake = path.join(dir, 'rabbitmq-server')
  writeFileSync(fake, '#!/bin/sh\necho "ERROR: epmd error for host localhost: address (cannot connect to host/port)" >&2\nexit 76\n')
  chmodSync(fake, 0o755)
  process.env.PATH = `${dir}${path.delimiter}${saved.PATH ?? ''}`
  process.env.WIRELAB_ONLY_PATH = '1'
})

afterAll(() => {
  process.env.PATH = saved.PATH
  if (saved.ONLY === undefined) delete process.env.WIRELAB_ONLY_PATH
  else process.env.WIRELAB_ONLY_PATH = saved.ONLY
})

describe('RabbitMQ that cannot start', () => {
  it('auto: says what happened and what to do, with its output, and opens the recorded session', async () => {
    const lab = new Lab({ ephemeralPorts: true })
    try {
      const status = await lab.start('rabbitmq')
      expect(status.ports).toEqual([])
      const note = lab.session.events.find((e): e is NoteEvent => e.kind === 'note' && e.key === 'rabbitmq.recorded')!
      expect(note.level).toBe('error')
      expect(note.text.en).toMatch(/^RabbitMQ is installed but did not start: RabbitMQ exited while starting \(code 76\)\./)
      expect(note.text.en).toContain('epmd error for host localhost')
      expect(note.text.en).toMatch(/What to do: .*meanwhile this is the recorded session/)
      expect(note.text.pt).toMatch(/O que fazer: /)
      const r = await lab.action('nack-requeue')
      expect(r.ok).toBe(true)
      expect(r.data).toMatchObject({ recorded: true })
    } finally {
      await lab.stop()
    }
    lab.session.events.forEach((e, i) => expect(e.seq).toBe(i + 1))
  })

  it('installed: the lesson does not start, and the error says why', async () => {
    const lab = new Lab({ ephemeralPorts: true })
    await expect(lab.start('rabbitmq', { broker: 'installed' })).rejects.toThrow(/RabbitMQ exited while starting \(code 76\)\. Its last output:\s+ERROR: epmd error/)
    const error = lab.session.events.find((e): e is NoteEvent => e.kind === 'note' && e.key === 'scene.error')
    expect(error?.text.en).toMatch(/^The lesson could not start: RabbitMQ exited while starting/)
    expect(lab.session.events.at(-1)).toMatchObject({ kind: 'scene', state: 'stopped' })
  })
})
