// The course's REST / gRPC / GraphQL table (seed 001), every row with a figure measured in this run.
import type { JSX } from 'react'
import type { Localized } from '@shared/events'
import type { ApiId } from '@shared/lessons/api-compare'
import { printableShare, type ApiFigures } from '@shared/lessons/api-compare-measure'
import { format, useLocalized } from '../../i18n'
import { jsonLeaves, keyBytes, protobufLeaves, tagBytes } from './model'
import S from './strings.json'

export type Steps = Partial<
  Record<'fetch' | 'repeat' | 'nPlusOne' | 'errors' | 'streaming', Record<ApiId, ApiFigures>>
>

/** The seed's cells (pt as written, en translated), in the view's column order: REST, GraphQL, gRPC. */
const ROWS = S.table.rows
const F = S.table.figure

const pct = (x: number): string => `${Math.round(x * 100)}%`
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0)

/** The measured figure of one cell, or null when its step has not run. */
function figure(row: number, api: ApiId, s: Steps): Localized | null {
  const f = s.fetch?.[api]
  switch (row) {
    case 0: {
      if (!f?.responses[0]) return null
      const body = sum(f.bodies)
      const share = printableShare(f.responses[0].data.subarray(f.responses[0].data.length - body))
      return format(F.format, { body, share: pct(share) })
    }
    case 1:
      return f
        ? format(F.transport, { transport: f.transport, conns: f.newConnections, rtt: f.roundTrips })
        : null
    case 2: {
      const p = f?.responses[0]
      if (!p) return null
      return api === 'grpc' ? format(F.tags, { n: tagBytes(p) }) : format(F.names, { n: keyBytes(p) })
    }
    case 3: {
      if (api === 'grpc') {
        const p = f?.responses[0]
        const valor = p ? protobufLeaves(p).find((l) => l.path === 'leituras.valor') : undefined
        return valor ? format(F.double, { n: valor.bytes }) : null
      }
      const e = s.errors?.[api]
      if (!e) return null
      return api === 'rest'
        ? format(F.restType, { status: e.statuses[1] })
        : format(F.graphqlType, { status: e.statuses[3] })
    }
    case 4: {
      const st = s.streaming?.[api]
      if (!st) return null
      if (api === 'grpc') return format(F.grpcStream, { n: st.bodies.length })
      if (api === 'rest') return format(F.restPoll, { requests: st.requests, n: st.bodies.length })
      return format(F.graphqlSub, { status: st.statuses[0] })
    }
    case 5: {
      const r = s.repeat?.[api]
      if (!f) return null
      const first = f.sent + f.received
      return r ? format(F.repeat, { first, again: r.sent + r.received }) : format(F.firstOnly, { first })
    }
    case 6: {
      const p = f?.responses[0]
      return p ? format(F.readable, { share: pct(printableShare(p.data)) }) : null
    }
    case 7: {
      const n = s.nPlusOne?.[api]
      if (!n) return null
      if (api === 'grpc') return n.requests ? format(F.grpcCalls, { n: n.requests }) : F.grpcNoMethod
      const over =
        api === 'rest' && f?.responses[0] ? jsonLeaves(f.responses[0]).filter((l) => !l.needed).length : 0
      return api === 'rest'
        ? format(F.restNPlusOne, { n: n.requests, over })
        : format(F.graphqlOne, { n: n.requests })
    }
  }
  return null
}

export function TableSection({ steps, order }: { steps: Steps; order: readonly ApiId[] }): JSX.Element {
  const loc = useLocalized()
  return (
    <div className="cmp-table-wrap" data-testid="compare-table">
      <div className="cmp-note">{loc(S.tableNote)}</div>
      <table className="cmp-table">
        <thead>
          <tr>
            <th>{loc(S.aspect)}</th>
            {order.map((a) => (
              <th key={a}>
                {a === 'rest'
                  ? 'REST (HTTP/JSON)'
                  : a === 'grpc'
                    ? 'gRPC (HTTP/2/Protobuf)'
                    : 'GraphQL (HTTP/JSON)'}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ROWS.map((r, i) => (
            <tr key={i}>
              <th>{loc(r.aspect)}</th>
              {order.map((a) => {
                const fig = figure(i, a, steps)
                return (
                  <td key={a}>
                    <div className="cmp-seed">{loc(r.seed[a])}</div>
                    <div
                      className={`cmp-fig${fig ? '' : ' none'}`}
                      data-testid="table-figure"
                      data-measured={fig ? 'yes' : 'no'}
                    >
                      {fig ? loc(fig) : '—'}
                    </div>
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
