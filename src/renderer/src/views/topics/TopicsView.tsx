// The topic tree (as MQTT Explorer users know it): every topic seen so far, split by level, with
// its last value and message count at the playback cursor.
import { useMemo, type JSX } from 'react'
import { useLocalized } from '../../i18n'
import type { ViewProps } from '../view-props'
import { useFanoutModel } from '../fanout/use-fanout-model'
import { sortedLevels, topicTree, type TopicNode } from './model'
import S from './strings.json'

export function TopicsView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const { model, cursor, version } = useFanoutModel()
  const root = useMemo(() => topicTree(model, cursor), [model, version]) // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <div className="topics" data-testid="view-topics">
      {root.children.size === 0 ? (
        <div className="empty">{loc(S.empty)}</div>
      ) : (
        <Level nodes={root.children} />
      )}
    </div>
  )
}

function Level({ nodes }: { nodes: Map<string, TopicNode> }): JSX.Element {
  const loc = useLocalized()
  return (
    <ul role="group">
      {sortedLevels(nodes).map((n) => (
        <li key={n.path} role="treeitem" aria-expanded={n.children.size > 0 ? true : undefined}>
          <div
            className="topic-row"
            data-testid="topic"
            data-topic={n.path}
            data-count={n.count}
            data-last={n.last ?? ''}
          >
            <span className="topic-level">{n.level || '∅'}</span>
            {n.last !== undefined ? (
              <span className="topic-value" title={loc(S.last)}>
                = {n.last === '' ? '∅' : n.last}
              </span>
            ) : null}
            {n.retained ? <span className="tag">{loc(S.retained)}</span> : null}
            <span className="topic-count">
              {n.count > 0 ? `${n.count} ${loc(n.count === 1 ? S.one : S.many)}` : ''}
              {n.children.size > 0 ? ` (${n.total})` : ''}
            </span>
          </div>
          {n.children.size > 0 ? <Level nodes={n.children} /> : null}
        </li>
      ))}
    </ul>
  )
}
