// TLS (`tls`): records, handshake messages and, for TLS 1.3 with the key log, the decrypted
// content (a PDU of its own, offset -1). Field ids (Wireshark's) and PDU keys, declared once for
// the dissector and the views.

export const TLS = 'tls'

export const TLS_FIELDS = {
  alertMessageDesc: 'tls.alert_message.desc',
  alertMessageLevel: 'tls.alert_message.level',
  appData: 'tls.app_data',
  appDataPlaintext: 'tls.app_data.plaintext',
  handshake: 'tls.handshake',
  handshakeCiphersuite: 'tls.handshake.ciphersuite',
  handshakeCiphersuites: 'tls.handshake.ciphersuites',
  handshakeCompMethod: 'tls.handshake.comp_method',
  handshakeCompMethods: 'tls.handshake.comp_methods',
  handshakeExtensionLen: 'tls.handshake.extension.len',
  handshakeExtensionType: 'tls.handshake.extension.type',
  handshakeExtensions: 'tls.handshake.extensions',
  handshakeExtensionsSupportedVersion: 'tls.handshake.extensions.supported_version',
  handshakeExtensionsAlpnStr: 'tls.handshake.extensions_alpn_str',
  handshakeExtensionsKeyShareEntry: 'tls.handshake.extensions_key_share_entry',
  handshakeExtensionsKeyShareGroup: 'tls.handshake.extensions_key_share_group',
  handshakeExtensionsKeyShareKeyExchange: 'tls.handshake.extensions_key_share_key_exchange',
  handshakeExtensionsServerName: 'tls.handshake.extensions_server_name',
  handshakeExtensionsServerNameName: 'tls.handshake.extensions_server_name.name',
  handshakeLength: 'tls.handshake.length',
  handshakeRandom: 'tls.handshake.random',
  handshakeSessionId: 'tls.handshake.session_id',
  handshakeType: 'tls.handshake.type',
  handshakeVersion: 'tls.handshake.version',
  record: 'tls.record',
  recordContentType: 'tls.record.content_type',
  recordLength: 'tls.record.length',
  recordVersion: 'tls.record.version'
} as const

/** The keys of a `tls` record PDU, and of the decrypted PDU that follows it. */
export type TlsKeys = {
  /** The record's content type (20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data). */
  contentType?: number
  /** The first handshake message's type (1 ClientHello, 2 ServerHello…). */
  handshakeType?: number
  sni?: string
  /** ALPN: the protocols offered (comma-separated, ClientHello) or chosen. */
  alpn?: string
  supportedVersions?: string
  keyShare?: string
  cipherSuites?: number
  cipherSuite?: string | number
  /** The version the ServerHello chose, e.g. `TLS 1.3`. */
  version?: string | number
  encrypted?: boolean
  /** Decrypted (on a record) or the decrypted content (on the PDU after it). */
  decrypted?: boolean
  decryptPending?: boolean
  decryptError?: string
  /** Decrypted content: the inner content type, record number, key log secret and the record's stream offset. */
  innerType?: number
  recordSeq?: number
  secret?: string
  recordOffset?: number
  /** Decrypted after its secret was logged. */
  late?: boolean
}
