// A long session replays the same whether the renderer holds it whole or a small window of it at
// a time: stepping forward and back through every event of interest shows the same event with the
// same contents at every step, pages come in as playback leaves the window, and saving the replay
// gives back the file. (The engine's side of the spill path is main/lab/session/spill.test.ts.)
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { toWire, type SessionFile } from '@shared/wire'

vi.mock('../bridge', () => ({
  api: { onEvents: () => () => undefined, onConnection: () => () => undefined },
  bridgeKind: 'web'
}))

const root = path.join(__dirname, '..', '..', '..', '..')
const dir = mkdtempSync(path.join(tmpdir(), 'wirelab-window-'))
const out = path.join(dir, 'mqtt.wirelab')
execFileSync(process.execPath, [path.join(root, 'bin', 'wirelab.js'), 'run', 'mqtt', '--ephemeral', '--out', out], {
  cwd: root,
  stdio: 'ignore'
})
const text = readFileSync(out, 'utf8')
const file = JSON.parse(text) as SessionFile

type Step = { step: number; seq: number; wire: string; total: number }

async function walk(): Promise<{ forward: Step[]; back: Step[]; pages: number }> {
  const { useLab, visibleMarks } = await import('../store')
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 200 && useLab.getState().paging; i++) await new Promise((r) => setTimeout(r, 1))
  }
  let pages = 0
  const off = useLab.subscribe((s, prev) => {
    if (s.epoch !== prev.epoch) pages++
  })
  const here = (): Step => {
    const s = useLab.getState()
    const last = s.events[s.cursor - 1]
    return { step: visibleMarks(s), seq: last?.seq ?? 0, wire: last ? JSON.stringify(toWire(last)) : '', total: s.totalMarks }
  }
  useLab.getState().home()
  await settle()
  const forward: Step[] = [here()]
  for (let i = 0; i < useLab.getState().totalMarks; i++) {
    useLab.getState().stepForward()
    await settle()
    forward.push(here())
  }
  const back: Step[] = []
  for (let i = 0; i < useLab.getState().totalMarks; i++) {
    useLab.getState().stepBack()
    await settle()
    back.push(here())
  }
  off()
  return { forward, back, pages }
}

describe('replaying a long session through a small window', () => {
  beforeAll(async () => {
    const sync = await import('../bridge/sync')
    sync.startSync()
  })

  it('shows the same event at every step as the whole session does, paging as it goes', async () => {
    expect(file.events.length).toBeGreaterThan(150)
    const sync = await import('../bridge/sync')
    const { openSessionText, replayedSessionJson } = await import('./replay')
    sync.setWindow({ tail: 1_000_000, max: 2_000_000, keep: 1_000_000 })
    expect(openSessionText(text, 'whole.wirelab')).toBe(true)
    const whole = await walk()
    expect(whole.pages).toBe(0)

    sync.setWindow({ tail: 40, max: 60, keep: 40 })
    expect(openSessionText(text, 'window.wirelab')).toBe(true)
    const { useLab } = await import('../store')
    expect(useLab.getState().count).toBeLessThan(80)
    const windowed = await walk()
    expect(windowed.pages).toBeGreaterThan(4)
    expect(windowed.forward).toEqual(whole.forward)
    expect(windowed.back).toEqual(whole.back)
    expect(windowed.forward.at(-1)!.step).toBe(whole.forward.at(-1)!.total)
    // Saving the replay writes back every event of the file, not the window.
    expect(JSON.parse(replayedSessionJson()).events).toEqual(file.events)
  }, 60_000)
})
