// PostgreSQL frontend/backend protocol v3 (`pgsql`, as Wireshark names it): the field ids the
// dissector emits and the `keys` its PDUs carry, declared once for the engine and the views.

export const PGSQL = {
  /** The message type byte (absent in StartupMessage, SSLRequest, CancelRequest). */
  type: 'pgsql.type',
  length: 'pgsql.length',
  /** StartupMessage / SSLRequest / CancelRequest request code (protocol version 3.0 = 196608). */
  code: 'pgsql.code',
  parameter: 'pgsql.parameter',
  parameterName: 'pgsql.parameter_name',
  parameterValue: 'pgsql.parameter_value',
  sslResponse: 'pgsql.ssl_response',
  authType: 'pgsql.authtype',
  saslMechanism: 'pgsql.sasl.mechanism',
  pid: 'pgsql.pid',
  secretKey: 'pgsql.key',
  status: 'pgsql.status',
  query: 'pgsql.query',
  statement: 'pgsql.statement',
  portal: 'pgsql.portal',
  paramTypes: 'pgsql.param_types',
  typeOid: 'pgsql.oid.type',
  formats: 'pgsql.formats',
  format: 'pgsql.format',
  params: 'pgsql.params',
  param: 'pgsql.param',
  valueLength: 'pgsql.val.length',
  valueData: 'pgsql.val.data',
  describeWhat: 'pgsql.what',
  maxRows: 'pgsql.maxrows',
  columns: 'pgsql.columns',
  column: 'pgsql.col',
  columnName: 'pgsql.col.name',
  tableOid: 'pgsql.oid.table',
  columnIndex: 'pgsql.col.index',
  typeLength: 'pgsql.val.typelen',
  typeModifier: 'pgsql.col.typemod',
  values: 'pgsql.vals',
  value: 'pgsql.val',
  tag: 'pgsql.tag',
  errorField: 'pgsql.error',
  severity: 'pgsql.severity',
  sqlstate: 'pgsql.code.sqlstate',
  message: 'pgsql.message',
  payload: 'pgsql.payload'
} as const

/** What a `pgsql` PDU's keys say, for pairing and for the views. */
export interface PgsqlKeys {
  /** Message name: `Query`, `Parse`, `RowDescription`, `DataRow`, `SSLRequest`, `SSLResponse`… */
  type: string
  /** The type byte as a character (`Q`, `T`, `D`…), absent for untyped startup messages. */
  tag?: string
  /** SQL text (Query, Parse). */
  sql?: string
  /** Statement / portal names (Parse, Bind, Describe, Execute, Close). */
  statement?: string
  portal?: string
  /** RowDescription: column count; DataRow: values as JSON (typed where the OID is known). */
  columns?: number
  row?: string
  /** CommandComplete: the command tag (`SELECT 3`); `rows` its count when it has one. */
  command?: string
  rows?: number
  /** ReadyForQuery: I (idle), T (in transaction), E (failed transaction). */
  status?: string
  /** ErrorResponse / NoticeResponse. */
  severity?: string
  sqlstate?: string
  error?: string
  /** ParameterStatus. */
  parameter?: string
  /** Bind: the parameter values as JSON. */
  params?: string
}

/** Names of the built-in type OIDs (pg_type.oid) a lesson meets. */
export const PG_TYPES: Record<number, string> = {
  16: 'bool',
  17: 'bytea',
  18: 'char',
  19: 'name',
  20: 'int8',
  21: 'int2',
  23: 'int4',
  24: 'regproc',
  25: 'text',
  26: 'oid',
  114: 'json',
  142: 'xml',
  700: 'float4',
  701: 'float8',
  705: 'unknown',
  790: 'money',
  1000: 'bool[]',
  1005: 'int2[]',
  1007: 'int4[]',
  1009: 'text[]',
  1016: 'int8[]',
  1042: 'bpchar',
  1043: 'varchar',
  1082: 'date',
  1083: 'time',
  1114: 'timestamp',
  1184: 'timestamptz',
  1186: 'interval',
  1231: 'numeric[]',
  1700: 'numeric',
  2249: 'record',
  2950: 'uuid',
  3802: 'jsonb'
}

/** The message names by type byte, in each direction. */
export const PG_FRONTEND: Record<string, string> = {
  Q: 'Query',
  P: 'Parse',
  B: 'Bind',
  D: 'Describe',
  E: 'Execute',
  S: 'Sync',
  H: 'Flush',
  C: 'Close',
  X: 'Terminate',
  p: 'PasswordMessage',
  F: 'FunctionCall',
  d: 'CopyData',
  c: 'CopyDone',
  f: 'CopyFail'
}

export const PG_BACKEND: Record<string, string> = {
  R: 'Authentication',
  S: 'ParameterStatus',
  K: 'BackendKeyData',
  Z: 'ReadyForQuery',
  T: 'RowDescription',
  D: 'DataRow',
  C: 'CommandComplete',
  E: 'ErrorResponse',
  N: 'NoticeResponse',
  '1': 'ParseComplete',
  '2': 'BindComplete',
  '3': 'CloseComplete',
  n: 'NoData',
  t: 'ParameterDescription',
  s: 'PortalSuspended',
  I: 'EmptyQueryResponse',
  A: 'NotificationResponse',
  G: 'CopyInResponse',
  H: 'CopyOutResponse',
  W: 'CopyBothResponse',
  d: 'CopyData',
  c: 'CopyDone',
  V: 'FunctionCallResponse',
  v: 'NegotiateProtocolVersion'
}

/** The longest startup packet Postgres accepts (MAX_STARTUP_PACKET_LENGTH). */
export const PG_MAX_STARTUP_PACKET = 10000

/** Well-known port the course uses. */
export const PGSQL_PORT = 5432
