// The AMQP 0-9-1 method and property layouts, read from amqplib's own protocol definitions
// (`lib/defs.js`, generated from the specification's XML) instead of transcribing the spec.
// amqplib's exports map hides that file, so it is required by absolute path.
import { createRequire } from 'node:module'
import path from 'node:path'

export type AmqpType = 'bit' | 'octet' | 'short' | 'long' | 'longlong' | 'timestamp' | 'shortstr' | 'longstr' | 'table'

export interface ArgInfo {
  name: string
  type: AmqpType
}

export interface MethodInfo {
  classId: number
  methodId: number
  /** `Basic.Publish`, `Connection.Start-Ok`. */
  name: string
  /** The method's part of the name: `Publish`, `Start-Ok`. */
  method: string
  args: ArgInfo[]
}

interface DefsInfo {
  id: number
  classId?: number
  methodId?: number
  name: string
  args: ArgInfo[]
}

interface Defs {
  info(id: number): DefsInfo
}

const req = createRequire(__filename)
const defs = req(path.join(path.dirname(req.resolve('amqplib')), 'lib', 'defs.js')) as Defs

/** `BasicQosOk` → `Basic.Qos-Ok` (every AMQP class name is one capitalised word). */
export function displayName(defsName: string): string {
  const m = /^([A-Z][a-z]+)(.*)$/.exec(defsName)
  if (!m) return defsName
  return `${m[1]}.${m[2].replace(/(?<=[a-z])(?=[A-Z])/g, '-')}`
}

/** Ids looked up so far, known or not (a connection sends ids from the wire: bounded). */
const MAX_CACHED = 4096
const methods = new Map<number, MethodInfo | null>()

/** The method's name and argument layout, or null for an id the specification does not define. */
export function methodInfo(classId: number, methodId: number): MethodInfo | null {
  const id = classId * 0x10000 + methodId
  let m = methods.get(id)
  if (m === undefined) {
    try {
      const info = defs.info(id)
      const name = displayName(info.name)
      m =
        info.methodId === undefined
          ? null
          : { classId, methodId, name, method: name.slice(name.indexOf('.') + 1), args: info.args.map((a) => ({ name: a.name, type: a.type })) }
    } catch {
      m = null // "Unknown class/method ID"
    }
    if (methods.size < MAX_CACHED) methods.set(id, m)
  }
  return m
}

const properties = new Map<number, ArgInfo[] | null>()

/** The content properties of a class (only Basic, 60, has them in 0-9-1), in flag order. */
export function propertiesInfo(classId: number): ArgInfo[] | null {
  let p = properties.get(classId)
  if (p === undefined) {
    try {
      const info = defs.info(classId)
      p = info.methodId === undefined && info.classId === undefined ? info.args.map((a) => ({ name: a.name, type: a.type })) : null
    } catch {
      p = null
    }
    if (properties.size < MAX_CACHED) properties.set(classId, p)
  }
  return p
}

const classNames = new Map<number, string | null>()

/** A class's name (`Basic`) from any of its methods (looked up once per class). */
export function className(classId: number): string | null {
  let name = classNames.get(classId)
  if (name === undefined) {
    name = null
    for (let methodId = 10; methodId <= 120 && name === null; methodId++) {
      const m = methodInfo(classId, methodId)
      if (m) name = m.name.split('.')[0]
    }
    if (classNames.size < MAX_CACHED) classNames.set(classId, name)
  }
  return name
}
