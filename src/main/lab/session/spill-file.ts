// Where the session log's older chunks go past its memory budget: one append-only file in a private
// temporary folder, created on first use and removed when the log is cleared or the process exits.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { ChunkStore } from '../../../shared/codec/chunk-log'

const open = new Set<SpillFile>()
let hooked = false

function removeAll(): void {
  for (const f of open) f.remove()
}

export class SpillFile implements ChunkStore {
  private fd: number | null = null
  private dir: string | null = null
  private end = 0

  constructor(private readonly parent: string = tmpdir()) {}

  /** The file's path, once something was written. */
  get file(): string | null {
    return this.dir ? path.join(this.dir, 'session.log') : null
  }

  get bytes(): number {
    return this.end
  }

  write(bytes: Uint8Array): number {
    if (this.fd === null) {
      this.dir = mkdtempSync(path.join(this.parent, 'wirelab-session-'))
      this.fd = openSync(path.join(this.dir, 'session.log'), 'w+', 0o600)
      open.add(this)
      if (!hooked) {
        hooked = true
        process.once('exit', removeAll)
      }
    }
    const at = this.end
    let done = 0
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, at + done)
    this.end += bytes.length
    return at
  }

  read(at: number, length: number): Uint8Array {
    if (this.fd === null) throw new Error('nothing was written to the spill file')
    const out = new Uint8Array(length)
    let done = 0
    while (done < length) {
      const n = readSync(this.fd, out, done, length - done, at + done)
      if (n === 0) throw new Error(`spill file ends at ${at + done}, expected ${at + length}`)
      done += n
    }
    return out
  }

  /** Deletes the file; the next write starts a new one. */
  remove(): void {
    if (this.fd !== null) closeSync(this.fd)
    if (this.dir) rmSync(this.dir, { recursive: true, force: true })
    this.fd = null
    this.dir = null
    this.end = 0
    open.delete(this)
  }
}
