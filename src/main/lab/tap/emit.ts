import type { Session } from '../session/session'
import type { PduDraft } from '../dissect/types'

export function appendPdus(session: Session, conn: string, pdus: PduDraft[]): void {
  for (const p of pdus) session.append({ kind: 'pdu', conn, ...p })
}
