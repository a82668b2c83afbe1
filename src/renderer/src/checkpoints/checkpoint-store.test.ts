// The checkpoint gate, outside React: whatever moves the cursor past a question stops right after
// it, paused; a prediction (or a skip) lets the step play; the answer then shows and is checked;
// turning checkpoints off lets everything through; a new log forgets the predictions.
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import type { CheckpointEvent, LabEvent } from '@shared/events'
import { toWire } from '@shared/wire'
import { resetLab, useLab } from '../store'
import { currentCheckpoint, pickOf, release, setPick, startCheckpointGate, toggleCheckpoints, useCheckpoints } from './checkpoint-store'
import { verdict } from './model'

const question = { en: 'Which subscribers get this PUBLISH?', pt: 'Quais assinantes recebem este PUBLISH?' }
const choices = ['a', 'b', 'c'].map((id) => ({ id, label: { en: id, pt: id } }))

function log(): LabEvent[] {
  let seq = 1
  const at = () => ({ seq: seq++, t: Date.now() + seq })
  const pdu = (summary: string): LabEvent => ({
    kind: 'pdu',
    conn: 'c1',
    dir: 'c2s',
    protocol: 'mqtt',
    summary,
    fields: [],
    data: new Uint8Array([0x30, 0]),
    offset: 0,
    ...at()
  })
  const cp = (state: 'ask' | 'answer'): CheckpointEvent => ({
    kind: 'checkpoint',
    id: 'fanout',
    run: 'cp1',
    state,
    question,
    choices,
    multiple: true,
    ...(state === 'answer' ? { answer: ['a', 'c'], explain: { en: '2 of 3', pt: '2 de 3' } } : {}),
    ...at()
  })
  return [
    { kind: 'scene', scene: 'mqtt', state: 'started', ...at() },
    { kind: 'note', key: 'x', text: { en: 'before', pt: 'antes' }, ...at() },
    cp('ask'),
    pdu('PUBLISH'),
    pdu('PUBLISH to a'),
    pdu('PUBLISH to c'),
    cp('answer'),
    { kind: 'note', key: 'y', text: { en: 'after', pt: 'depois' }, ...at() }
  ]
}

let replaying = false
const stop = startCheckpointGate(() => replaying)
afterAll(stop)

beforeEach(() => {
  replaying = false
  resetLab()
  toggleCheckpoints(true)
  useLab.getState().ingest({ events: log().map(toWire) })
})

describe('checkpoint gate', () => {
  it('going live stops right after the question, paused', () => {
    useLab.getState().goLive()
    const s = useLab.getState()
    expect(s.events[s.cursor - 1]).toMatchObject({ kind: 'checkpoint', state: 'ask' })
    expect(s.playing).toBe(false)
    expect(currentCheckpoint()).toMatchObject({ phase: 'asking', event: { run: 'cp1' } })
  })

  it('stepping forward stops there too; the question is a step of its own', () => {
    useLab.getState().home()
    useLab.getState().stepForward() // the note
    useLab.getState().stepForward() // the question
    expect(currentCheckpoint()?.phase).toBe('asking')
    useLab.getState().stepForward() // held
    expect(useLab.getState().events[useLab.getState().cursor - 1].kind).toBe('checkpoint')
  })

  it('a prediction lets the step play; the answer is revealed after the traffic and checked', () => {
    useLab.getState().goLive()
    setPick('cp1', 'a', true)
    setPick('cp1', 'b', true)
    setPick('cp1', 'b', true) // toggled off again
    setPick('cp1', 'c', true)
    expect(pickOf(useCheckpoints.getState(), 'cp1')).toEqual(['a', 'c'])
    release('cp1')
    expect(useLab.getState().playing).toBe(true)
    expect(currentCheckpoint()?.phase).toBe('playing')
    useLab.getState().stepForward() // the first PUBLISH: no longer held
    expect(useLab.getState().events[useLab.getState().cursor - 1]).toMatchObject({ kind: 'pdu', summary: 'PUBLISH' })
    useLab.getState().goLive()
    expect(useLab.getState().cursor).toBe(useLab.getState().count)
    const cp = currentCheckpoint()
    expect(cp?.phase).toBe('revealed')
    expect(verdict(pickOf(useCheckpoints.getState(), 'cp1'), cp?.event.answer)).toBe('right')
    expect(verdict(['a'], cp?.event.answer)).toBe('wrong')
    expect(verdict(undefined, cp?.event.answer)).toBe('none')
  })

  it('turned off, nothing is held and nothing is shown', () => {
    toggleCheckpoints(false)
    useLab.getState().goLive()
    expect(useLab.getState().cursor).toBe(useLab.getState().count)
    expect(currentCheckpoint()).toBeNull()
  })

  it('a replayed file asks again, even questions answered live', () => {
    useLab.getState().goLive()
    release('cp1')
    replaying = true
    useLab.getState().replace(log().map(toWire))
    useLab.getState().goLive()
    expect(currentCheckpoint()?.phase).toBe('asking')
    expect(useLab.getState().events[useLab.getState().cursor - 1].kind).toBe('checkpoint')
  })

  it('questions asked in the live log before this window opened are not asked again', () => {
    resetLab()
    const old = log().map((e) => ({ ...e, t: e.t - 3_600_000 }))
    useLab.getState().ingest({ events: old.map(toWire) })
    useLab.getState().goLive()
    expect(useLab.getState().cursor).toBe(useLab.getState().count)
    expect(currentCheckpoint()?.phase).toBe('revealed')
  })

  it('an earlier lesson run’s question does not hold a later run', () => {
    resetLab()
    const first = log()
    const next = log().map((e) => ({ ...e, seq: e.seq + first.length, run: 'cp2' }))
    useLab.getState().ingest({ events: [...first, ...next].map((e) => toWire(e as LabEvent)) })
    useLab.getState().goLive()
    // Held at the second run's question, not the first's.
    const s = useLab.getState()
    expect(s.cursor).toBe(first.length + 3)
    expect(currentCheckpoint()?.event.run).toBe('cp2')
  })
})
