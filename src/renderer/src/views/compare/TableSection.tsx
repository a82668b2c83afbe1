// The course's REST / gRPC / GraphQL table (seed 001), every row with a figure measured in this run.
import type { JSX } from 'react'
import type { Localized } from '@shared/events'
import type { ApiId } from '@shared/lessons/api-compare'
import { printableShare, type ApiFigures } from '@shared/lessons/api-compare-measure'
import { useLocalized } from '../../i18n'
import { jsonLeaves, keyBytes, protobufLeaves, tagBytes } from './model'
import { S } from './strings'

export type Steps = Partial<
  Record<'fetch' | 'repeat' | 'nPlusOne' | 'errors' | 'streaming', Record<ApiId, ApiFigures>>
>

const L = (en: string, pt: string): Localized => ({ en, pt })

/** The seed's cells (pt as written, en translated), in the view's column order: REST, GraphQL, gRPC. */
const ROWS: { aspect: Localized; seed: Record<ApiId, Localized> }[] = [
  {
    aspect: L('Format', 'Formato'),
    seed: {
      rest: L('JSON (text)', 'JSON (texto)'),
      graphql: L('JSON (text)', 'JSON (texto)'),
      grpc: L('Protobuf (binary)', 'Protobuf (binário)')
    }
  },
  {
    aspect: L('Transport', 'Transporte'),
    seed: {
      rest: L('HTTP/1.1 or 2', 'HTTP/1.1 ou 2'),
      graphql: L('HTTP/1.1 or 2', 'HTTP/1.1 ou 2'),
      grpc: L('HTTP/2 required', 'HTTP/2 obrigatório')
    }
  },
  {
    aspect: L('Contract', 'Contrato'),
    seed: {
      rest: L('OpenAPI/Swagger (optional)', 'OpenAPI/Swagger (opcional)'),
      graphql: L('Schema (required)', 'Schema (obrigatório)'),
      grpc: L('.proto (required)', '.proto (obrigatório)')
    }
  },
  {
    aspect: L('Typing', 'Tipagem'),
    seed: {
      rest: L('Weak (JSON has no types)', 'Fraca (JSON não tem tipos)'),
      graphql: L('Strong (typed schema)', 'Forte (schema tipado)'),
      grpc: L('Strong (typed Protobuf)', 'Forte (Protobuf tipado)')
    }
  },
  {
    aspect: L('Streaming', 'Streaming'),
    seed: {
      rest: L('Not native (SSE is a workaround)', 'Não nativo (SSE é workaround)'),
      graphql: L('Subscriptions (via WebSocket)', 'Subscriptions (via WebSocket)'),
      grpc: L('Native (4 types)', 'Nativo (4 tipos)')
    }
  },
  {
    aspect: L('Performance', 'Performance'),
    seed: {
      rest: L('Good for humans, ok for machines', 'Boa para humanos, ok para máquinas'),
      graphql: L('Good, less over-fetching', 'Boa, reduz over-fetching'),
      grpc: L('Excellent (10x+ smaller/faster)', 'Excelente (10x+ menor/rápido)')
    }
  },
  {
    aspect: L('Debugging', 'Debugging'),
    seed: {
      rest: L('Easy (curl, browser)', 'Fácil (curl, browser)'),
      graphql: L('Medium (visual playground)', 'Médio (playground visual)'),
      grpc: L('Hard (needs special tools)', 'Difícil (precisa ferramentas especiais)')
    }
  },
  {
    aspect: L('Use case', 'Caso de uso'),
    seed: {
      rest: L('Public APIs, CRUD, integration', 'APIs públicas, CRUD, integração'),
      graphql: L('Flexible frontend, many clients', 'Frontend flexível, múltiplos clientes'),
      grpc: L('Internal microservices, high volume', 'Microserviços internos, alto volume')
    }
  }
]

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
      return L(`body ${body} B, ${pct(share)} readable text`, `corpo ${body} B, ${pct(share)} texto legível`)
    }
    case 1:
      return f
        ? L(
            `${f.transport}, ${f.newConnections} connection, ${f.roundTrips} round trips`,
            `${f.transport}, ${f.newConnections} conexão, ${f.roundTrips} idas e voltas`
          )
        : null
    case 2: {
      const p = f?.responses[0]
      if (!p) return null
      if (api === 'grpc')
        return L(
          `names never travel: ${tagBytes(p)} B of field numbers (tags)`,
          `nomes nunca viajam: ${tagBytes(p)} B de números de campo (tags)`
        )
      return L(`${keyBytes(p)} B of field names in the body`, `${keyBytes(p)} B de nomes de campo no corpo`)
    }
    case 3: {
      if (api === 'grpc') {
        const p = f?.responses[0]
        const valor = p ? protobufLeaves(p).find((l) => l.path === 'leituras.valor') : undefined
        return valor
          ? L(
              `valor: double, always ${valor.bytes} B (tag + 8)`,
              `valor: double, sempre ${valor.bytes} B (tag + 8)`
            )
          : null
      }
      const e = s.errors?.[api]
      if (!e) return null
      if (api === 'rest')
        return L(
          `?ultimas=três → ${e.statuses[1]} (checked by the server’s own code)`,
          `?ultimas=três → ${e.statuses[1]} (checado pelo código do servidor)`
        )
      return L(
        `ultimas: "três" → ${e.statuses[3]} before any resolver ran`,
        `ultimas: "três" → ${e.statuses[3]} antes de qualquer resolver`
      )
    }
    case 4: {
      const st = s.streaming?.[api]
      if (!st) return null
      if (api === 'grpc')
        return L(
          `1 request → ${st.bodies.length} messages on one stream`,
          `1 requisição → ${st.bodies.length} mensagens num stream`
        )
      if (api === 'rest')
        return L(
          `${st.requests} requests for ${st.bodies.length} readings (polling)`,
          `${st.requests} requisições para ${st.bodies.length} leituras (polling)`
        )
      return L(`subscription over HTTP → ${st.statuses[0]}`, `subscription em HTTP → ${st.statuses[0]}`)
    }
    case 5: {
      const r = s.repeat?.[api]
      if (!f) return null
      const first = `${f.sent + f.received} B`
      return r
        ? L(
            `1st call ${first}, repeat ${r.sent + r.received} B`,
            `1ª chamada ${first}, repetição ${r.sent + r.received} B`
          )
        : L(`1st call ${first}`, `1ª chamada ${first}`)
    }
    case 6: {
      const p = f?.responses[0]
      if (!p) return null
      return L(
        `${pct(printableShare(p.data))} of the response is readable text`,
        `${pct(printableShare(p.data))} da resposta é texto legível`
      )
    }
    case 7: {
      const n = s.nPlusOne?.[api]
      if (!n) return null
      if (api === 'grpc')
        return n.requests
          ? L(`${n.requests} calls`, `${n.requests} chamadas`)
          : L(
              'a method per screen (none in sensor.proto for this one)',
              'um método por tela (nenhum no sensor.proto para esta)'
            )
      const over =
        api === 'rest' && f?.responses[0] ? jsonLeaves(f.responses[0]).filter((l) => !l.needed).length : 0
      return api === 'rest'
        ? L(
            `all sensors: ${n.requests} requests (N+1); ${over} fields not asked for`,
            `todos os sensores: ${n.requests} requisições (N+1); ${over} campos não pedidos`
          )
        : L(`all sensors: ${n.requests} request`, `todos os sensores: ${n.requests} requisição`)
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
