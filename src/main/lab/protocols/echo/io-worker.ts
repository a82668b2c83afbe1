// The lesson's echo servers, each in a worker thread of its own: its own event loop, not shared
// with Wirelab (whose loop is busy recording), and blocking it never blocks Wirelab.
//   blocking    Node has no blocking accept() or recv(); this server gets them anyway: it handles
//               each client synchronously inside libuv's accept callback, reading and writing the
//               socket's file descriptor directly and sleeping with Atomics.wait, so its event loop
//               is truly blocked. libuv accepts the next connection only when the handler returns:
//               one client at a time, exactly like the course's tcp_server.py, while the others wait
//               in the kernel's accept queue. (Where a socket has no file descriptor, on Windows, it
//               blocks the loop after a normal read instead.)
//   threads     the acceptor stays free; each request's work runs on a new thread (worker_threads)
//               that blocks itself for the work, then hands the reply back.
//   event-loop  the work is a timer: the loop serves every other client meanwhile.
//
// The source is a string evaluated by `new Worker(…, { eval: true })`, so every host (Electron's
// bundled main process, the tsx-run CLI, tests) runs the same code without a separate build entry.
// Messages to the parent carry `hr`, process.hrtime.bigint(): one monotonic clock for every thread.
export const IO_WORKER_SOURCE = String.raw`
'use strict'
const { parentPort, workerData, Worker } = require('node:worker_threads')
const net = require('node:net')
const fs = require('node:fs')

const cell = new Int32Array(new SharedArrayBuffer(4))
const sleep = (ms) => Atomics.wait(cell, 0, 0, Math.max(0, ms))
const hr = () => process.hrtime.bigint()
const post = (m) => parentPort.postMessage(m)
let delayMs = 1000
let idleTimeoutMs = 5000
const POLL_MS = 2
let server = null

// A blocking recv(): waits (the whole thread) until data, end of stream, the idle timeout, or an error.
function recv(fd, buf) {
  let waited = 0
  for (;;) {
    try {
      return fs.readSync(fd, buf, 0, buf.length, null)
    } catch (e) {
      if (e.code !== 'EAGAIN' && e.code !== 'EWOULDBLOCK') return { error: e.code || e.message }
      if (waited >= idleTimeoutMs) return { idle: true }
      sleep(POLL_MS)
      waited += POLL_MS
    }
  }
}

// A blocking sendall().
function sendAll(fd, data) {
  let at = 0
  while (at < data.length) {
    try {
      at += fs.writeSync(fd, data, at, data.length - at)
    } catch (e) {
      if (e.code !== 'EAGAIN' && e.code !== 'EWOULDBLOCK') return e.code || e.message
      sleep(POLL_MS)
    }
  }
  return null
}

function handleBlocking(socket, fd, port) {
  const buf = Buffer.alloc(65536)
  let how = 'fin'
  let reason
  for (;;) {
    const n = recv(fd, buf)
    if (n === 0) {
      post({ type: 'end', hr: hr(), port })
      break
    }
    if (typeof n !== 'number') {
      how = n.idle ? 'idle' : 'rst'
      reason = n.idle ? 'no data for ' + idleTimeoutMs / 1000 + ' s: the blocking server gave up on this client' : n.error
      break
    }
    const data = Buffer.from(buf.subarray(0, n))
    post({ type: 'read', hr: hr(), port, data })
    sleep(delayMs)
    const err = sendAll(fd, data)
    if (err) {
      how = 'rst'
      reason = err
      break
    }
    post({ type: 'write', hr: hr(), port, data })
  }
  socket.destroy()
  post({ type: 'close', hr: hr(), port, how, reason })
}

// Without a file descriptor: read through the event loop, then block it for the work.
function handleLoopBlocked(socket, port) {
  socket.on('data', (data) => {
    post({ type: 'read', hr: hr(), port, data: Buffer.from(data) })
    sleep(delayMs)
    socket.write(data)
    post({ type: 'write', hr: hr(), port, data: Buffer.from(data) })
  })
  socket.on('end', () => {
    post({ type: 'end', hr: hr(), port })
    socket.end()
  })
  socket.on('error', () => undefined)
  socket.on('close', () => post({ type: 'close', hr: hr(), port, how: 'fin' }))
  socket.resume()
}

// The thread-per-client and event-loop servers: read, do the work without blocking this loop, echo.
const THREAD = "const { parentPort, workerData } = require('node:worker_threads');" +
  "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.delayMs); parentPort.postMessage('done')"
let live = 0
let started = 0
const threads = new Set()
function inThread(done) {
  const spawned = performance.now()
  const w = new Worker(THREAD, { eval: true, workerData: { delayMs } })
  threads.add(w)
  live++
  started++
  w.once('online', () => post({ type: 'threads', hr: hr(), live, started, startMs: performance.now() - spawned, rss: process.memoryUsage().rss }))
  w.once('message', done)
  w.once('error', done)
  w.once('exit', () => {
    threads.delete(w)
    live--
    post({ type: 'threads', hr: hr(), live, started, startMs: 0, rss: process.memoryUsage().rss })
  })
}

function handleAsync(socket, port) {
  socket.on('data', (data) => {
    post({ type: 'read', hr: hr(), port, data: Buffer.from(data) })
    const reply = () => {
      if (socket.destroyed) return
      socket.write(data)
      post({ type: 'write', hr: hr(), port, data: Buffer.from(data) })
    }
    if (workerData.model === 'threads') inThread(reply)
    else setTimeout(reply, delayMs)
  })
  socket.on('end', () => {
    post({ type: 'end', hr: hr(), port })
    socket.end()
  })
  socket.on('error', () => undefined)
  socket.on('close', (hadError) => post({ type: 'close', hr: hr(), port, how: hadError ? 'rst' : 'fin' }))
  socket.resume()
}

function onConnection(socket) {
  const port = socket.remotePort
  post({ type: 'accept', hr: hr(), port, host: String(socket.remoteAddress || '').replace(/^::ffff:/, '') })
  if (workerData.model !== 'blocking') return handleAsync(socket, port)
  const fd = socket._handle && socket._handle.fd
  if (typeof fd === 'number' && fd >= 0 && process.platform !== 'win32') handleBlocking(socket, fd, port)
  else handleLoopBlocked(socket, port)
}

parentPort.on('message', (m) => {
  if (m.type === 'config') {
    delayMs = m.delayMs
    idleTimeoutMs = m.idleTimeoutMs
  } else if (m.type === 'listen') {
    server = net.createServer({ pauseOnConnect: true }, onConnection)
    server.once('error', (e) => post({ type: 'listen-error', code: e.code, message: e.message }))
    server.listen({ port: m.port, host: m.host, backlog: m.backlog, exclusive: true }, () =>
      post({ type: 'listening', port: server.address().port })
    )
  } else if (m.type === 'close') {
    for (const w of threads) w.terminate()
    if (server) server.close()
    process.exit(0)
  }
})
`
