// One readable line per event, for the CLI and logs.
import type { LabEvent } from '../../../shared/events'

const arrow = (dir: 'c2s' | 's2c'): string => (dir === 'c2s' ? '→' : '←')

export function formatEvent(e: LabEvent): string {
  const head = `#${String(e.seq).padStart(4)} `
  switch (e.kind) {
    case 'node':
      return `${head}node      ${e.node} "${e.label}" (${e.role})${e.endpoint ? ` ${e.endpoint.host}:${e.endpoint.port}` : ''}`
    case 'conn.open':
      return `${head}open      ${e.conn} ${e.transport} ${e.client.host}:${e.client.port} → ${e.server.host}:${e.server.port}`
    case 'conn.close':
      return `${head}close     ${e.conn} by ${e.by} (${e.how}${e.reason ? `: ${e.reason}` : ''})`
    case 'bytes':
      return `${head}bytes     ${e.conn} ${arrow(e.dir)} ${e.data.length} B @${e.offset}`
    case 'pdu':
      return `${head}pdu       ${e.conn} ${arrow(e.dir)} ${e.protocol}${e.modeled ? ' [modeled]' : ''}${e.malformed ? ' [MALFORMED]' : ''} ${e.summary}`
    case 'note':
      return `${head}note      ${e.text.en}`
    case 'scene':
      return `${head}scene     ${e.scene} ${e.state}${e.ports ? ' ' + e.ports.map((p) => `${p.name}=${p.port}`).join(' ') : ''}`
    case 'checkpoint':
      return `${head}checkpoint ${e.id} ${e.state}: ${e.state === 'ask' ? e.question.en : (e.answer ?? []).join(', ')}`
    case 'fault':
      return `${head}fault     ${e.conn} ${arrow(e.dir)} ${e.fault}${e.ms !== undefined ? ` ${e.ms.toFixed(1)} ms` : ''} (${e.length} B @${e.offset})`
    case 'sample':
      return `${head}sample    ${e.series} ${e.subject}${e.modeled ? ' (modeled)' : ''} ${Object.entries(e.values).map(([k, v]) => `${k}=${v}`).join(' ')} [${e.source}]`
    case 'drop':
      return `${head}drop      ${e.count} (${e.reason})`
  }
}
