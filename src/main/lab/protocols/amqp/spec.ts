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

const methods = new Map<number, MethodInfo | null>()

/** The method's name and argument layout, or null for an id the specification does not define. */
export function methodInfo(classId: number, methodId: number): MethodInfo | null {
  const id = classId * 0x10000 + methodId
  let m = methods.get(id)
  if (m === undefined) {
    try {
      const info = defs.info(id)
      m = info.methodId === undefined ? null : { classId, methodId, name: displayName(info.name), args: info.args.map((a) => ({ name: a.name, type: a.type })) }
    } catch {
      m = null // "Unknown class/method ID"
    }
    methods.set(id, m)
  }
  return m
}

/** The content properties of a class (only Basic, 60, has them in 0-9-1), in flag order. */
export function propertiesInfo(classId: number): ArgInfo[] | null {
  try {
    const info = defs.info(classId)
    return info.methodId === undefined && info.classId === undefined ? info.args.map((a) => ({ name: a.name, type: a.type })) : null
  } catch {
    return null
  }
}

/** A class's name (`Basic`) from any of its methods. */
export function className(classId: number): string | null {
  for (let methodId = 10; methodId <= 120; methodId++) {
    const m = methodInfo(classId, methodId)
    if (m) return m.name.split('.')[0]
  }
  return null
}
