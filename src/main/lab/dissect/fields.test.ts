import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { field, hex } from './fields'

/** The plain way: two digits a byte, joined with the separator. */
const reference = (bytes: Uint8Array, sep: string): string =>
  [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(sep)

describe('hex', () => {
  it('writes two lowercase digits a byte, joined with the separator, at every length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(' ', '', ':'), (bytes, sep) => {
        expect(hex(bytes, sep)).toBe(reference(bytes, sep))
      }),
      { numRuns: 500 }
    )
  })

  it('gives each call its own string (the characters are written into a shared array)', () => {
    const a = hex(Uint8Array.from({ length: 40 }, (_, i) => i))
    const b = hex(Uint8Array.from({ length: 40 }, () => 0xff))
    expect(a.startsWith('00 01 02')).toBe(true)
    expect(b).toBe(Array(40).fill('ff').join(' '))
  })

  it('handles values longer than the shared array (64 KB of characters)', () => {
    const bytes = Uint8Array.from({ length: 30_000 }, (_, i) => (i * 7) & 0xff)
    expect(hex(bytes)).toBe(reference(bytes, ' '))
    expect(hex(bytes.subarray(0, 16), '')).toBe(reference(bytes.subarray(0, 16), ''))
  })
})

describe('field', () => {
  it('has the keys of { name, start, end, ...extra, value }, in that order, without undefined ones', () => {
    const children = [field('c', 0, 1)]
    const cases: [Parameters<typeof field>, object][] = [
      [['n', 0, 2], { name: 'n', start: 0, end: 2 }],
      [['n', 0, 2, 'v'], { name: 'n', start: 0, end: 2, value: 'v' }],
      [['n', 0, 2, 'v', { id: 'x.y' }], { name: 'n', start: 0, end: 2, id: 'x.y', value: 'v' }],
      [['n', 0, 2, undefined, { id: 'x.y' }], { name: 'n', start: 0, end: 2, id: 'x.y' }],
      [
        ['n', 0, 2, 'v', { id: 'x.y', children }],
        { name: 'n', start: 0, end: 2, id: 'x.y', children, value: 'v' }
      ],
      [['n', 0, 2, undefined, { children }], { name: 'n', start: 0, end: 2, children }],
      [['n', 0, 2, 'v', { id: undefined }], { name: 'n', start: 0, end: 2, value: 'v' }],
      [['n', 0, 2, 'v', { mask: 0xf0 }], { name: 'n', start: 0, end: 2, mask: 0xf0, value: 'v' }],
      [
        ['n', 0, 2, 'v', { id: 'x.y', malformed: 'why' }],
        { name: 'n', start: 0, end: 2, id: 'x.y', malformed: 'why', value: 'v' }
      ]
    ]
    for (const [args, expected] of cases) {
      const f = field(...args)
      expect(f).toStrictEqual(expected)
      expect(Object.keys(f)).toEqual(Object.keys(expected))
    }
  })
})
