// A tap can answer some requests itself instead of forwarding them: this is how a lesson injects a
// fault that a real service would produce (S3 throttling answers "503 SlowDown"). The client's
// bytes are recorded as sent; the tap's answer is recorded as the server → client bytes the
// client really received; the server never sees the request it did not get.

export interface TapVerdict {
  /** Bytes to forward to the server (possibly none, or only part of the chunk). */
  forward: Uint8Array
  /** Bytes the tap sends back to the client itself. */
  reply?: Uint8Array
}

export interface TapInterceptor {
  /** Called with every chunk the client sends, in order. */
  c2s(chunk: Uint8Array): TapVerdict
}
