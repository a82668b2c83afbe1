// The topic tree as data: every topic seen at the cursor, split by level, with its message count,
// last value and whether that value was retained.
import { topicAt, type FanoutModel } from '../fanout/model'

export interface TopicNode {
  level: string
  path: string
  count: number
  last?: string
  retained?: boolean
  /** Messages on this topic and below. */
  total: number
  children: Map<string, TopicNode>
}

export function topicTree(model: FanoutModel, cursor: number): TopicNode {
  const root: TopicNode = { level: '', path: '', count: 0, total: 0, children: new Map() }
  for (const t of model.topics.values()) {
    const at = topicAt(t, cursor)
    if (at.count === 0) continue
    let node = root
    node.total += at.count
    const levels = t.topic.split('/')
    levels.forEach((lv, i) => {
      let next = node.children.get(lv)
      if (!next) {
        next = { level: lv, path: levels.slice(0, i + 1).join('/'), count: 0, total: 0, children: new Map() }
        node.children.set(lv, next)
      }
      next.total += at.count
      node = next
    })
    node.count = at.count
    node.last = at.last
    node.retained = at.retained
  }
  return root
}

/** A level's children in the order shown (alphabetical). */
export function sortedLevels(nodes: Map<string, TopicNode>): TopicNode[] {
  return [...nodes.values()].sort((a, b) => a.level.localeCompare(b.level))
}
