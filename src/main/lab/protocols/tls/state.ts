// The per-connection state of the TLS dissector, shared by its three parts: records
// (dissector.ts), handshake messages (handshake.ts) and TLS 1.3 decryption (decrypt.ts).
import type { Direction } from '../../../../shared/events'
import type { KeyLog } from '../common/keylog'
import type { TrafficKeys } from './tls13-crypto'

export type Phase = 'handshake' | 'application'

export interface DirCrypto {
  phase: Phase
  seq: number
  keys?: TrafficKeys
  /** The key log label these keys came from. */
  label?: string
  ccs: boolean
  /**
   * Encrypted records waiting for their secret: a peer logs some secrets only once it has read
   * the record (the server learns the client's application secret from the client's Finished),
   * so they are decrypted in order as soon as the key log has them.
   */
  pending: Pending[]
}

export interface Pending {
  record: Uint8Array
  /** Stream offset of the record, filled in once the record's PDU is out. */
  offset: number
}

export const MAX_PENDING = 256

export interface TlsState {
  clientRandom?: string
  serverRandom?: string
  /** Version the ServerHello chose (supported_versions, or legacy_version). */
  version?: number
  cipherSuite?: number
  sni?: string
  alpnOffered?: string[]
  alpn?: string
  crypto: Record<Direction, DirCrypto>
  keylog: KeyLog
}

export function newTlsState(keylog: KeyLog): TlsState {
  return {
    crypto: {
      c2s: { phase: 'handshake', seq: 0, ccs: false, pending: [] },
      s2c: { phase: 'handshake', seq: 0, ccs: false, pending: [] }
    },
    keylog
  }
}
