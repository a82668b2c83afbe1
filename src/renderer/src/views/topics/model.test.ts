// The topic tree from a real run of the MQTT lesson (the demo, then a retained message): levels,
// counts at the cursor, last values and the retained flag.
import { beforeAll, describe, expect, it } from 'vitest'
import type { LabEvent, NodeEvent } from '@shared/events'
import { recordLesson } from '../lesson-test-support'
import { currentMessage, FanoutModel } from '../fanout/model'
import { sortedLevels, topicTree, type TopicNode } from './model'

let model: FanoutModel
beforeAll(async () => {
  const events: LabEvent[] = await recordLesson('mqtt', ['demo', 'retained'])
  const nodes = new Map<string, NodeEvent>()
  for (const e of events) if (e.kind === 'node') nodes.set(e.node, e)
  model = new FanoutModel(0, 0)
  model.advance(events, events.length, nodes)
})

function flat(node: TopicNode): string[] {
  return sortedLevels(node.children).flatMap((n) => [
    `${n.path} ${n.count}/${n.total} ${n.last ?? '-'}${n.retained ? ' retained' : ''}`,
    ...flat(n)
  ])
}

describe('topic tree', () => {
  it('splits topics by level with their counts and last values', () => {
    expect(flat(topicTree(model, Number.MAX_SAFE_INTEGER))).toEqual([
      'home 0/3 -',
      'home/livingroom 0/3 -',
      expect.stringMatching(/^home\/livingroom\/setpoint 2\/2 .* retained$/),
      'home/livingroom/temperature 1/1 22.5'
    ])
  })

  it('shows only what the cursor passed', () => {
    const first = model.messages[0]
    expect(topicTree(model, first.idx).children.size).toBe(0)
    expect(flat(topicTree(model, first.idx + 1))).toEqual([
      'home 0/1 -',
      'home/livingroom 0/1 -',
      'home/livingroom/temperature 1/1 22.5'
    ])
    expect(currentMessage(model, first.idx + 1)).toBe(first)
  })
})
