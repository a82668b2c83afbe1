// The TLS view's pairs from a real HTTPS GET: every record of the connection in wire order, the
// ones in the clear alone, each encrypted one with what the key log decrypted it to.
import { beforeAll, describe, expect, it } from 'vitest'
import type { PduEvent } from '@shared/events'
import { pdusOf, recordLesson } from '../lesson-test-support'
import { recordPairs, recordTitle, shownConnection, tlsConnections } from './model'

let pdus: PduEvent[] = []
beforeAll(async () => {
  pdus = pdusOf(await recordLesson('tls', ['get']))
})

describe('TLS record pairs', () => {
  it('shows the chosen connection while it exists, else the newest', () => {
    const conns = tlsConnections(pdus)
    expect(conns).toHaveLength(1)
    expect(shownConnection(conns, null)).toBe(conns[0])
    expect(shownConnection(conns, 'gone')).toBe(conns[0])
    expect(shownConnection([...conns, 'c9'], conns[0])).toBe(conns[0])
    expect(shownConnection([], null)).toBeNull()
  })

  it('pairs each encrypted record with its decrypted content, in wire order', () => {
    const pairs = recordPairs(pdus, tlsConnections(pdus)[0])
    expect(pairs.slice(0, 2).map((p) => [p.record.dir, recordTitle(p.record), p.plain])).toEqual([
      ['c2s', 'ClientHello', null],
      ['s2c', 'ServerHello', null]
    ])
    const encrypted = pairs.filter((p) => p.record.keys?.encrypted === true)
    expect(encrypted.length).toBeGreaterThan(4)
    for (const p of encrypted) {
      expect(p.plain, recordTitle(p.record)).not.toBeNull()
      expect(p.plain!.keys?.recordOffset).toBe(p.record.offset)
      expect(p.plain!.dir).toBe(p.record.dir)
    }
    const http = encrypted
      .filter((p) => p.plain!.protocol === 'http')
      .map((p) => [p.record.dir, p.plain!.summary])
    expect(http).toEqual([
      ['c2s', expect.stringContaining('GET /items/1 HTTP/1.1')],
      ['s2c', expect.stringContaining('HTTP/1.1 200 OK')]
    ])
    // Decrypted PDUs are not records of their own.
    expect(pairs.every((p) => p.record.offset >= 0)).toBe(true)
  })
})
