// Reading a PDU's keys as its protocol declared them (`<Protocol>Keys` in src/shared/protocols).
import type { PduKeys } from '../events'

/** The keys of `pdu` typed as protocol `K` declares them (every key may be absent). */
export function keysOf<K extends PduKeys>(pdu: { keys?: PduKeys }): Partial<K> {
  return (pdu.keys ?? {}) as Partial<K>
}
