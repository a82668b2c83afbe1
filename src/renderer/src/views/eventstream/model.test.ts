// The event-stream view's model from a real SSE lesson: the LLM tokens up to [DONE], the metric
// stream cut by the server and resumed with Last-Event-ID where it stopped, and the same feed
// over SSE and WebSocket side by side.
import { beforeAll, describe, expect, it } from 'vitest'
import type { LabEvent } from '@shared/events'
import { pdusOf, recordLesson } from '../lesson-test-support'
import { eventStreamModel, sideBySide, type StreamItem } from './model'

let events: LabEvent[] = []
beforeAll(async () => {
  events = await recordLesson('sse', ['chat', 'metrics', 'compare'], { interval: 50, tokenMs: 10, retry: 50 })
})

describe('event stream model', () => {
  it('collects the answer token by token, then [DONE]', () => {
    const m = eventStreamModel(events)
    expect(m.tokens.length).toBeGreaterThan(5)
    expect(m.done).toBe(true)
  })

  it('shows the cut and the reconnection, resumed right after the last id received', () => {
    const items = eventStreamModel(events).items
    const cut = items.findIndex((i) => i.kind === 'cut' && i.by === 'server')
    expect(cut).toBeGreaterThan(0)
    const lastBefore = items
      .slice(0, cut)
      .filter((i) => i.kind === 'event')
      .at(-1) as Extract<StreamItem, { kind: 'event' }>
    const reconnect = items.find((i) => i.kind === 'reconnect') as Extract<StreamItem, { kind: 'reconnect' }>
    expect(reconnect.lastEventId).toBe(lastBefore.id)
    expect(Number(reconnect.resumedAt)).toBe(Number(lastBefore.id) + 1)
    expect(items.some((i) => i.kind === 'retry')).toBe(true)
    expect(items.some((i) => i.kind === 'comment')).toBe(true)
  })

  it('puts the same metrics side by side over SSE and WebSocket, on two connections', () => {
    const both = sideBySide(pdusOf(events))!
    expect(both.sse.conn).not.toBe(both.ws.conn)
    expect(both.sse.messages.map((m) => m.id)).toEqual(both.ws.messages.map((m) => m.id))
    expect(both.sse.messages.length).toBeGreaterThan(0)
    expect(both.sse.setup).toBeGreaterThan(0)
    expect(both.ws.setup).toBeGreaterThan(0)
  })
})
