// The topic tree (as MQTT Explorer users know it): every topic seen so far, split by level, with
// its last value and message count at the playback cursor.
import { useMemo, type JSX } from 'react'
import { useLocalized } from '../../i18n'
import type { ViewProps } from '../registry'
import { useFanoutModel } from '../fanout/FanoutView'
import { topicAt } from '../fanout/model'
import { S } from '../fanout/strings'

interface TreeNode {
  level: string
  path: string
  count: number
  last?: string
  retained?: boolean
  /** Messages on this topic and below. */
  total: number
  children: Map<string, TreeNode>
}

export function TopicsView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const { model, cursor, version } = useFanoutModel()
  const root = useMemo(() => {
    const r: TreeNode = { level: '', path: '', count: 0, total: 0, children: new Map() }
    for (const t of model.topics.values()) {
      const at = topicAt(t, cursor)
      if (at.count === 0) continue
      let node = r
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
    return r
  }, [model, version]) // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <div className="topics" data-testid="view-topics">
      {root.children.size === 0 ? <div className="empty">{loc(S.topics.empty)}</div> : <Level nodes={root.children} />}
    </div>
  )
}

function Level({ nodes }: { nodes: Map<string, TreeNode> }): JSX.Element {
  const loc = useLocalized()
  const sorted = [...nodes.values()].sort((a, b) => a.level.localeCompare(b.level))
  return (
    <ul role="group">
      {sorted.map((n) => (
        <li key={n.path} role="treeitem" aria-expanded={n.children.size > 0 ? true : undefined}>
          <div className="topic-row" data-testid="topic" data-topic={n.path} data-count={n.count} data-last={n.last ?? ''}>
            <span className="topic-level">{n.level || '∅'}</span>
            {n.last !== undefined ? (
              <span className="topic-value" title={loc(S.topics.last)}>
                = {n.last === '' ? '∅' : n.last}
              </span>
            ) : null}
            {n.retained ? <span className="tag">{loc(S.topics.retained)}</span> : null}
            <span className="topic-count">
              {n.count > 0 ? `${n.count} ${loc(n.count === 1 ? S.topics.one : S.topics.count)}` : ''}
              {n.children.size > 0 ? ` (${n.total})` : ''}
            </span>
          </div>
          {n.children.size > 0 ? <Level nodes={n.children} /> : null}
        </li>
      ))}
    </ul>
  )
}
