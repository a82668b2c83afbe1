// What each API's response carried, field by field, against what the lesson's screen needs: the
// leaves of a JSON body (REST, GraphQL) or of a protobuf message (gRPC), each with its bytes on the
// wire, so the view can show over-fetching byte for byte. Pure.
import type { Field, PduEvent } from '@shared/events'
import { SCREEN_NEEDS } from '@shared/lessons/api-compare'
import { jsonBody } from '@shared/lessons/api-compare-measure'

export interface Leaf {
  /** Dotted path without array indices: `leituras.valor`. */
  path: string
  value: string
  /** Bytes of this leaf on the wire (the JSON member, or the protobuf tag and value). */
  bytes: number
  needed: boolean
  /** Range in the PDU, for selection. */
  start: number
  end: number
  /** Index path into the PDU's fields. */
  fieldPath: number[]
}

const NEEDS = new Set(SCREEN_NEEDS.map((p) => p.replace(/\[\]/g, '')))

export const isNeeded = (path: string): boolean => NEEDS.has(path)

function pathOfField(fields: Field[], target: Field, prefix: number[] = []): number[] | null {
  for (let i = 0; i < fields.length; i++) {
    if (fields[i] === target) return [...prefix, i]
    const inner = fields[i].children ? pathOfField(fields[i].children!, target, [...prefix, i]) : null
    if (inner) return inner
  }
  return null
}

/** JSON leaves; GraphQL's `data.<field>.` wrapper is dropped so paths compare with REST's. */
export function jsonLeaves(p: PduEvent): Leaf[] {
  const body = jsonBody(p)
  if (!body) return []
  const out: Leaf[] = []
  const walk = (f: Field, at: string): void => {
    if (f.id === 'json.member') {
      const value = f.children?.[1]
      const path = at ? `${at}.${f.name}` : f.name
      const inner = value?.children?.filter((c) => c.id === 'json.member' || c.children?.length) ?? []
      if (inner.length) for (const c of value!.children!) walk(c, path)
      else {
        const clean = path.replace(/^data\.[^.]+\.?/, '')
        out.push({
          path: clean || path,
          value: f.value ?? '',
          bytes: f.end - f.start,
          needed: isNeeded(clean),
          start: f.start,
          end: f.end,
          fieldPath: pathOfField(p.fields, f) ?? []
        })
      }
    } else for (const c of f.children ?? []) walk(c, at)
  }
  for (const c of body.children ?? []) walk(c, '')
  return out
}

/** Protobuf leaves of a gRPC message PDU (field ids `protobuf.<name>[.<name>…]`). */
export function protobufLeaves(p: PduEvent): Leaf[] {
  const data = p.fields[0]?.children?.find((f) => f.id === 'grpc.message_data')
  const out: Leaf[] = []
  const walk = (fields: Field[]): void => {
    for (const f of fields) {
      if (
        !f.id?.startsWith('protobuf.') ||
        f.id.endsWith('.tag') ||
        f.id.endsWith('.length') ||
        f.id.includes('.value')
      )
        continue
      const nested = f.children?.find(
        (c) =>
          c.id === `${f.id}.value` &&
          c.children?.some(
            (x) => x.id?.startsWith(`${f.id}.`) && !x.id.endsWith('.tag') && !x.id.includes('.value')
          )
      )
      if (nested) walk(nested.children ?? [])
      else {
        const path = f.id.replace(/^protobuf\./, '')
        out.push({
          path,
          value: f.value ?? '',
          bytes: f.end - f.start,
          needed: isNeeded(path),
          start: f.start,
          end: f.end,
          fieldPath: pathOfField(p.fields, f) ?? []
        })
      }
    }
  }
  walk(data?.children ?? [])
  return out
}

/** Bytes of field names that travel in a JSON body (its members' keys), or 0 for protobuf. */
export function keyBytes(p: PduEvent): number {
  let n = 0
  const walk = (fs: Field[]): void => {
    for (const f of fs) {
      if (f.id === 'json.member.key') n += f.end - f.start
      if (f.children) walk(f.children)
    }
  }
  const body = jsonBody(p)
  if (body) walk([body])
  return n
}

/** Bytes of protobuf tags (field number + wire type) in a gRPC message. */
export function tagBytes(p: PduEvent): number {
  let n = 0
  const walk = (fs: Field[]): void => {
    for (const f of fs) {
      if (f.id?.endsWith('.tag') && f.name === 'Tag') n += f.end - f.start
      else if (f.children) walk(f.children)
    }
  }
  walk(p.fields)
  return n
}

export interface OverFetch {
  leaves: Leaf[]
  body: number
  unasked: number
  unaskedFields: number
}

export function overFetch(leaves: Leaf[], body: number): OverFetch {
  const unasked = leaves.filter((l) => !l.needed)
  return { leaves, body, unasked: unasked.reduce((n, l) => n + l.bytes, 0), unaskedFields: unasked.length }
}
