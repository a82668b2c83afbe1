// Finding fields by id and showing bytes as hex, on a small field tree like the dissectors make.
import { describe, expect, it } from 'vitest'
import type { Field } from '@shared/events'
import { fieldAt, findField, hexBytes, pathOf } from './fields'

const tree: Field[] = [
  {
    name: 'Header',
    start: 0,
    end: 2,
    id: 'p.header',
    children: [{ name: 'Flags', start: 0, end: 1, id: 'p.flags' }]
  },
  {
    name: 'Body',
    start: 2,
    end: 6,
    id: 'p.body',
    children: [
      { name: 'Text', start: 2, end: 4, id: 'p.text' },
      { name: 'Text again', start: 4, end: 6, id: 'p.text' }
    ]
  }
]

describe('fields', () => {
  it('finds the first field with an id, depth first', () => {
    expect(pathOf(tree, 'p.flags')).toEqual([0, 0])
    expect(pathOf(tree, 'p.text')).toEqual([1, 0])
    expect(findField(tree, 'p.text')?.name).toBe('Text')
    expect(fieldAt(tree, pathOf(tree, 'p.body'))?.name).toBe('Body')
    expect(pathOf(tree, 'p.none')).toBeNull()
    expect(findField(undefined, 'p.text')).toBeNull()
  })

  it('shows bytes as spaced hex, cut at `max`', () => {
    expect(hexBytes(Uint8Array.from([0, 15, 255]))).toBe('00 0f ff')
    expect(hexBytes(Uint8Array.from([1, 2, 3]), 2)).toBe('01 02 …')
  })
})
