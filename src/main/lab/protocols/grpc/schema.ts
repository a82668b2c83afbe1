// Which message type a gRPC message carries: the method path in the request HEADERS
// (`/<package.>Service/Method`) names a method of a .proto service, whose request type applies to
// client → server messages and whose response type to server → client ones.
import protobuf from 'protobufjs'
import type { CallType } from '../../../../shared/protocols/grpc'

export interface MethodInfo {
  path: string
  service: string
  method: string
  callType: CallType
  requestType: protobuf.Type
  responseType: protobuf.Type
}

export function callTypeOf(requestStream: boolean, responseStream: boolean): CallType {
  if (requestStream && responseStream) return 'bidi'
  if (requestStream) return 'client-streaming'
  if (responseStream) return 'server-streaming'
  return 'unary'
}

/** Every method of every service in the roots, by path. */
export class GrpcSchema {
  private readonly methods = new Map<string, MethodInfo>()

  constructor(roots: protobuf.Root[]) {
    for (const root of roots) {
      root.resolveAll()
      for (const s of services(root)) {
        const service = s.fullName.replace(/^\./, '')
        for (const m of Object.values(s.methods)) {
          m.resolve()
          if (!m.resolvedRequestType || !m.resolvedResponseType) continue
          const path = `/${service}/${m.name}`
          this.methods.set(path, {
            path,
            service,
            method: m.name,
            callType: callTypeOf(!!m.requestStream, !!m.responseStream),
            requestType: m.resolvedRequestType,
            responseType: m.resolvedResponseType
          })
        }
      }
    }
  }

  lookup(path: string): MethodInfo | undefined {
    return this.methods.get(path)
  }

  get size(): number {
    return this.methods.size
  }
}

function services(ns: protobuf.NamespaceBase): protobuf.Service[] {
  const out: protobuf.Service[] = []
  for (const child of ns.nestedArray) {
    if (child instanceof protobuf.Service) out.push(child)
    if (child instanceof protobuf.Namespace || child instanceof protobuf.Type) out.push(...services(child))
  }
  return out
}

/** Splits `/pkg.Service/Method` (null when it is not a gRPC method path). */
export function splitPath(path: string): { service: string; method: string } | null {
  const m = /^\/([^/]+)\/([^/]+)$/.exec(path)
  return m ? { service: m[1], method: m[2] } : null
}
