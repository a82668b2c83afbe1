// Where gRPC meets HTTP/2 until the engine has a general chaining API: the outer dissector comes
// from the registry by id (HTTP/2 registers itself when its module loads), so the gRPC code never
// reaches into the HTTP/2 code. This file is the only place to change when that API arrives.
import '../http2/dissector'
import { getDissector } from '../../dissect/registry'
import type { StreamDissector } from '../../dissect/types'

/** A fresh, unguarded dissector of the registered protocol `id` (the caller is guarded itself). */
export function innerDissector(id: string): StreamDissector {
  return getDissector(id).create()
}
