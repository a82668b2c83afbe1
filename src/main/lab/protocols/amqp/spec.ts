// The AMQP 0-9-1 method and property layouts, read from amqplib's own protocol definitions
// (`lib/defs.js`, generated from the specification's XML) instead of transcribing the spec.
// amqplib's exports map hides that file, so it is required by absolute path.
import { createRequire } from 'node:module'
import path from 'node:path'
import { memo } from '../../../../shared/memo'

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

/** The method's name and argument layout, or null for an id the specification does not define. */
export function methodInfo(classId: number, methodId: number): MethodInfo | null {
  return methodById(classId * 0x10000 + methodId)
}

// Ids come from the wire, known or not: each looked up in amqplib's definitions once (bounded).
const methodById = memo((id: number): MethodInfo | null => {
  try {
    const info = defs.info(id)
    if (info.methodId === undefined) return null
    const name = displayName(info.name)
    return {
      classId: Math.floor(id / 0x10000),
      methodId: id % 0x10000,
      name,
      method: name.slice(name.indexOf('.') + 1),
      args: info.args.map((a) => ({ name: a.name, type: a.type }))
    }
  } catch {
    return null // "Unknown class/method ID"
  }
})

/** The content properties of a class (only Basic, 60, has them in 0-9-1), in flag order. */
export const propertiesInfo = memo((classId: number): ArgInfo[] | null => {
  try {
    const info = defs.info(classId)
    return info.methodId === undefined && info.classId === undefined ? info.args.map((a) => ({ name: a.name, type: a.type })) : null
  } catch {
    return null
  }
})

/** A class's name (`Basic`) from any of its methods (looked up once per class). */
export const className = memo((classId: number): string | null => {
  for (let methodId = 10; methodId <= 120; methodId++) {
    const m = methodInfo(classId, methodId)
    if (m) return m.name.split('.')[0]
  }
  return null
})
