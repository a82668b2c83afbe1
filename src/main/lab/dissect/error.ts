// A dissection failure that knows which bytes are at fault. Thrown by `ByteReader` reads past the
// end (protocols/common/reader.ts) and by decoders; `framed()` and `chain()` turn it into a
// malformed PDU or field covering exactly that range.

/** A dissection failure with the offending byte range (`end` exclusive), in the buffer being read. */
export class DissectError extends Error {
  constructor(
    readonly reason: string,
    readonly start: number,
    readonly end: number,
    /**
     * Set when the bytes ran out: the buffer must be at least this long (from its start) before the
     * read can go further. Stream dissectors use it to wait for more bytes instead of failing.
     */
    readonly needed?: number
  ) {
    super(reason)
    this.name = 'DissectError'
  }
}

/** The message of anything thrown. */
export const reasonOf = (err: unknown): string => (err instanceof Error ? err.message : String(err))
