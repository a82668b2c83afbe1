// Keeps the store in step with the engine's log. On (re)connect the renderer asks the engine to
// stream the log (`session:follow`): the last WINDOW_TAIL events come in chunks, with the context
// their views need, then live packets continue. Packets are decoded as they arrive (PDU bytes and
// field trees stay in the packet until read) and ingested once per animation frame. The store holds
// a window of the log: past WINDOW_MAX events the oldest are dropped (the engine keeps them, on
// disk if need be), and playback moving outside the window pages that part in (`session:range`).
import type { FollowReply, RangeRequest } from '@shared/api'
import type { LabEvent } from '@shared/events'
import { contextOfEvents } from '@shared/codec/context'
import { decodeRange, LogReceiver } from '@shared/codec/receiver'
import type { PacketInfo } from '@shared/codec/packet'
import { cursorFor, setPager, useLab } from '../store'
import { api } from '.'
import { create } from 'zustand'

export type ConnectionState = 'connecting' | 'open' | 'closed'

export const useConnection = create<{ state: ConnectionState }>(() => ({ state: 'connecting' }))

/**
 * Events the renderer streams on connect, and pages in at a time: a lesson of ordinary size whole
 * (a 100,000-PDU session is about 151,000 events).
 */
export let WINDOW_TAIL = 160_000
/**
 * Past this many events in the window, the oldest go (down to WINDOW_KEEP): at most ~110 MB of
 * renderer heap for the log during a long flood, trimmed every 30,000 events.
 */
let WINDOW_MAX = 190_000
let WINDOW_KEEP = 160_000

/** Smaller windows (tests page through short sessions). */
export function setWindow(o: { tail: number; max: number; keep: number }): void {
  WINDOW_TAIL = o.tail
  WINDOW_MAX = o.max
  WINDOW_KEEP = o.keep
}

const receiver = new LogReceiver()
let buffer: LabEvent[] = []
let scheduled = false
let liveHeld = false
/** The engine log the store's window comes from (0: none yet). */
let logId = 0
/** Set by `follow()` until the stream's first packet: that packet starts a new window. */
let starting: FollowReply | null = null
/** Live events below this seq are already held (a resumed stream starts at a chunk boundary). */
let minSeq = 0
let pageSerial = 0
/**
 * While the stream catches up with the log as it stood when following began (opening the app on a
 * long session): the last seq to reach. 0 once there. Views refresh less often meanwhile.
 */
let catchUpTo = 0

/** Whether the renderer is still streaming in the log as it stood when it connected. */
export function catchingUp(): boolean {
  return catchUpTo > 0
}

/** The store now holds events up to `seq`: the catch-up ends once that reaches its mark. */
function held(seq: number): void {
  if (catchUpTo && seq >= catchUpTo) catchUpTo = 0
}

/** No frames come to a hidden window: a timer stands in for them, sooner there than when visible. */
export const hiddenOr = (hidden: number, visible: number): number =>
  typeof document === 'undefined' || document.hidden ? hidden : visible

/** Where pages come from while a saved session is replayed (session-files/replay-log.ts). */
export interface PageSource {
  range(req: RangeRequest): Uint8Array
}
let replaySource: PageSource | null = null

/** Pages come from `source` (a replayed session) instead of the engine, until set back to null. */
export function setReplaySource(source: PageSource | null): void {
  replaySource = source
  pageSerial++
}

/** While a saved session is replayed, live packets are not ingested (session-files/replay.ts). */
export function holdLive(on: boolean): void {
  liveHeld = on
  catchUpTo = 0
  dropInbox()
  buffer = []
  receiver.reset()
}

/** Test and benchmark hook: called after each ingest with the newest seq in the store. */
function announce(): void {
  const s = useLab.getState()
  const last = s.events.length ? s.events[s.events.length - 1].seq : 0
  window.dispatchEvent(new CustomEvent('wirelab:ingest', { detail: { lastSeq: last, count: s.count } }))
}

function flush(): void {
  scheduled = false
  const info = pendingInfo
  pendingInfo = null
  if (info) applyInfo(info)
  if (!buffer.length) return
  const events = buffer
  buffer = []
  const lab = useLab.getState()
  lab.ingest({ events })
  held(events[events.length - 1].seq)
  keepWindowBounded()
  announce()
}

/** Drops the oldest events of a window grown past WINDOW_MAX, unless playback is looking at them. */
function keepWindowBounded(): void {
  const s = useLab.getState()
  const proper = s.count - s.contextCount
  if (proper <= WINDOW_MAX) return
  const n = proper - WINDOW_KEEP
  if (s.cursor < s.contextCount + n) {
    // Someone is looking at the oldest part: keep it, and stop appending (Live pages back in).
    useLab.setState({ atEnd: false })
    receiver.reset()
    return
  }
  s.trimFront(n, contextOfEvents(s.events, s.contextCount + n))
}

let fallback: ReturnType<typeof setTimeout> | undefined

/**
 * Pending events are ingested by the playback clock's frame (`flushPending`), together with the
 * cursor's move: one store update, so one render, per frame. The timeout keeps the log current
 * when no frame comes (a hidden tab); in a visible one a frame is only late when the main thread is
 * busy, and ingesting from the timer then would add to it.
 */
function schedule(): void {
  if (scheduled) return
  scheduled = true
  fallback = setTimeout(flush, hiddenOr(250, 1000))
  wakeClock()
}

/** Wakes the playback clock, which sleeps while nothing happens (playback/clock.ts). */
let wakeClock = (): void => undefined

export function setClockWaker(fn: () => void): void {
  wakeClock = fn
}

/** Ingests what arrived since the last frame (called at the start of each frame). */
export function flushPending(): void {
  if (!scheduled) return
  clearTimeout(fallback)
  flush()
}

/** The newest packet's totals, not yet in the store (they land with the frame's ingest). */
let pendingInfo: PacketInfo | null = null

/**
 * The log's totals (events, on disk, dropped) as of the newest packet. Packets arrive many times
 * per frame under load: the store takes the newest totals once per frame, so the status line and
 * the playback bar redraw with the frame, not with every packet.
 */
function placeInfo(info: PacketInfo): void {
  pendingInfo = info
  schedule()
}

function applyInfo(info: PacketInfo): void {
  const s = useLab.getState()
  const patch: Partial<typeof s> = {}
  if (info.total !== s.total) patch.total = info.total
  if (info.totalMarks !== s.totalMarks) patch.totalMarks = info.totalMarks
  if (info.kibOnDisk !== s.kibOnDisk) patch.kibOnDisk = info.kibOnDisk
  if (info.kibInMemory !== s.kibInMemory) patch.kibInMemory = info.kibInMemory
  if (info.dropped > s.bridgeDropped) patch.bridgeDropped = info.dropped
  if (Object.keys(patch).length) useLab.setState(patch)
}

/** Live packets received and not yet decoded (`drain` decodes them a few milliseconds at a time). */
let inbox: Uint8Array[] = []
/** The packet being decoded, a segment at a time, and the events decoded from it so far. */
let current: (ReturnType<LogReceiver['open']> & { next: number; got: LabEvent[] }) | null = null
/** Decoding runs in tasks of about this long, so frames are drawn between them. */
const SLICE_MS = 4
let draining = false
let port: MessagePort | null = null

function onPacket(packet: Uint8Array): void {
  if (liveHeld) return
  inbox.push(packet)
  // Decoded in this task while that takes a few milliseconds (most packets); the rest waits.
  if (!draining) drain()
}

/**
 * What is left after a slice waits for its own task (a message to ourselves, which unlike a timer
 * is not clamped): a large packet (up to a megabyte under load, some ten thousand events) is
 * decoded over several short tasks instead of holding the main thread for one long one.
 */
function kick(): void {
  if (draining) return
  draining = true
  if (!port) {
    const channel = new MessageChannel()
    channel.port1.onmessage = drain
    // Node (tests) keeps a process alive while a port listens.
    ;(channel.port1 as unknown as { unref?: () => void }).unref?.()
    port = channel.port2
  }
  port.postMessage(null)
}

function drain(): void {
  draining = false
  const until = performance.now() + SLICE_MS
  while (step() && performance.now() < until);
  if (inbox.length || current) kick()
}

/** Packets not yet decoded are from before a `session:follow` reply: the stream restarts after it. */
function dropInbox(): void {
  inbox = []
  current = null
}

/** Decodes the next segment of live packets; false when there is nothing left. */
function step(): boolean {
  const s = useLab.getState()
  const earlier = !starting && (!s.atEnd || s.paging)
  if (current && earlier) {
    // Playback moved to an earlier part of the log while this packet was being decoded: skip the
    // rest of it, as packets that arrive now are (Live streams again from what the window holds).
    receiver.reset()
    placeInfo(current.info)
    current = null
  }
  if (!current) {
    const packet = inbox.shift()
    if (!packet) return false
    if (earlier) {
      // The window shows an earlier part of the log: only the totals move.
      const r = receiver.skip(packet)
      if (r.info.logId !== logId) void follow()
      else placeInfo(r.info)
      return true
    }
    let opened: ReturnType<LogReceiver['open']>
    try {
      opened = receiver.open(packet)
    } catch {
      // Damaged bytes: stream again from what we hold.
      dropInbox()
      void follow(lastHeld() + 1)
      return false
    }
    if (!starting && opened.info.logId !== logId) {
      // Another log (cleared here or by another window): start over with it.
      dropInbox()
      void follow()
      return false
    }
    current = { ...opened, next: 0, got: [] }
  }
  const c = current
  const segment = c.segments[c.next++]
  if (segment && !receiver.segment(segment, true, (e) => c.got.push(e), c.context, minSeq)) {
    dropInbox()
    void follow(lastHeld() + 1)
    return false
  }
  const done = c.next >= c.segments.length
  if (starting) {
    if (!done) return true
    const f = starting
    starting = null
    current = null
    flushNow()
    useLab.getState().replace(c.got, { firstSeq: f.from, marksBefore: f.marksBefore, total: f.total, totalMarks: f.totalMarks, atEnd: true }, c.context)
    // Opening the app shows the session as it is now; earlier events are there to step back to.
    useLab.setState({ cursor: useLab.getState().count, following: true })
    if (c.got.length) held(c.got[c.got.length - 1].seq)
    applyInfo(c.info)
    announce()
    return true
  }
  if (c.got.length) {
    for (const e of c.got) buffer.push(e)
    minSeq = c.got[c.got.length - 1].seq + 1
    c.got = []
    schedule()
  }
  if (done) {
    current = null
    placeInfo(c.info)
  }
  return true
}

function flushNow(): void {
  buffer = []
  pendingInfo = null
  scheduled = false
  clearTimeout(fallback)
}

function lastHeld(): number {
  const s = useLab.getState()
  const b = buffer.length ? buffer[buffer.length - 1].seq : 0
  return Math.max(b, s.events.length ? s.events[s.events.length - 1].seq : 0)
}

let following: Promise<void> | null = null

/**
 * Asks the engine to stream its log: from `from` when we hold the same log up to there, otherwise
 * its last WINDOW_TAIL events as a new window.
 */
function follow(from?: number): Promise<void> {
  if (following) return following
  following = (async () => {
    try {
      receiver.reset()
      flushNow()
      dropInbox()
      const resume = from !== undefined && logId !== 0
      const reply = await api['session:follow'](resume ? { from } : { tail: WINDOW_TAIL })
      dropInbox()
      catchUpTo = reply.total >= (resume ? from : reply.from) ? reply.total : 0
      if (resume && reply.logId === logId) {
        minSeq = from
        return
      }
      logId = reply.logId
      minSeq = reply.from
      starting = reply
      if (reply.total === 0) {
        // An empty log sends nothing until its first event: show it empty now.
        starting = null
        useLab.getState().replace([], { firstSeq: 1, total: 0, totalMarks: 0, atEnd: true })
        useLab.setState({ following: true })
        // The first events of this log start a chunk: decode them as a live stream.
        minSeq = 1
      }
    } finally {
      following = null
    }
  })()
  return following
}

/** Pages in the part of the log where `n` events of interest are visible, and shows them. */
async function pageTo(n: number): Promise<void> {
  const serial = ++pageSerial
  const was = useLab.getState()
  const source = replaySource
  try {
    const req = { mark: n, span: WINDOW_TAIL }
    const packet = source ? source.range(req) : await api['session:range'](req)
    if (serial !== pageSerial || (!source && liveHeld)) return
    const { info, events, context } = decodeRange(packet, true)
    if (!source && info.logId !== logId) {
      await follow()
      return
    }
    const atEnd = (info.to ?? 0) >= info.total
    useLab.getState().replace(events, {
      firstSeq: info.from,
      marksBefore: info.marksBefore,
      total: info.total,
      totalMarks: info.totalMarks,
      atEnd
    }, context)
    const s = useLab.getState()
    useLab.setState({
      cursor: cursorFor(s, n) ?? s.count,
      playing: was.playing,
      following: was.following,
      movedAt: performance.now(),
      paging: false
    })
    if (source) return
    applyInfo(info)
    if (atEnd) {
      // Live packets append to this window again, from its last event on.
      receiver.reset()
      minSeq = (info.to ?? 0) + 1
      dropInbox()
      await api['session:follow']({ from: minSeq })
      dropInbox()
    }
  } catch {
    if (serial === pageSerial) useLab.setState({ paging: false })
  }
}

let started = false

/** Starts syncing (idempotent). */
export function startSync(): void {
  if (started) return
  started = true
  setPager((n) => void pageTo(n))
  api.onEvents(onPacket)
  api.onConnection((state) => {
    useConnection.setState({ state })
    if (state === 'open') void follow(logId ? lastHeld() + 1 : undefined).catch(() => undefined)
  })
}

/** Streams the engine's log again, as a new window at its end (leaving a replayed session). */
export function resync(): Promise<void> {
  logId = 0
  return follow()
}

/** Clears the engine's log and ours. */
export async function clearSession(): Promise<void> {
  await api['session:clear'](null)
  flushNow()
  dropInbox()
  useLab.getState().clear()
}
