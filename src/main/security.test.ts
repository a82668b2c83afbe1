// The security baseline, checked without an Electron runtime: the window settings and CSP as
// data, the pure URL checks, the Electron glue (index.ts) run against a stand-in `electron` module
// and read as source, and the preload's exposed surface. Payload validation for every command is in
// validate.test.ts; every server of every lesson bound to loopback in lab/loopback.test.ts.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import ts from 'typescript'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { COMMAND_NAMES, type CommandName } from '../shared/api'
import { InvalidRequest } from '../shared/validate'
import { INVALID } from './lab/testing/invalid-requests'
import { RENDERER_CSP, WEB_PREFERENCES, isAllowedNavigation, isTrustedSender } from './security'
import { CSP as WEB_CSP } from './web'

const root = path.join(__dirname, '..', '..')
const read = (rel: string): string => readFileSync(path.join(root, rel), 'utf8')

// ------------------------------------------------------------------------------------------------
// A stand-in for the `electron` module: records what index.ts and the preload ask of it.

type Handler = (...args: unknown[]) => unknown
const fake = vi.hoisted(() => {
  const state = {
    handles: new Map<string, (event: unknown, req: unknown) => unknown>(),
    ipcOn: [] as string[],
    windows: [] as {
      options: Record<string, unknown>
      wc: { id: number; on: Map<string, Handler>; openHandler?: Handler; sent: unknown[] }
    }[],
    sandboxEnabled: false,
    headerHook: undefined as undefined | Handler,
    permissionHandler: undefined as undefined | Handler,
    exposed: new Map<string, unknown>(),
    invoked: [] as { channel: string; req: unknown }[],
    rendererListeners: new Map<string, Handler[]>(),
    ready: undefined as undefined | (() => void),
    appOn: new Map<string, Handler>(),
    singleInstanceLock: false,
    focused: 0
  }
  return state
})

vi.mock('electron', () => {
  let ids = 1
  class BrowserWindow {
    static getAllWindows(): unknown[] {
      return fake.windows
    }
    webContents: {
      id: number
      on: (ev: string, fn: Handler) => void
      setWindowOpenHandler: (fn: Handler) => void
      send: (...a: unknown[]) => void
      once: () => void
    }
    constructor(options: Record<string, unknown>) {
      const wc = {
        id: ids++,
        on: new Map<string, Handler>(),
        openHandler: undefined as Handler | undefined,
        sent: [] as unknown[]
      }
      fake.windows.push({ options, wc })
      this.webContents = {
        id: wc.id,
        on: (ev, fn) => void wc.on.set(ev, fn),
        setWindowOpenHandler: (fn) => void (wc.openHandler = fn),
        send: (...a) => void wc.sent.push(a),
        once: () => undefined
      }
    }
    once(): void {}
    on(): void {}
    show(): void {}
    isMinimized(): boolean {
      return false
    }
    restore(): void {}
    focus(): void {
      fake.focused++
    }
    isDestroyed(): boolean {
      return false
    }
    loadURL(): Promise<void> {
      return Promise.resolve()
    }
  }
  const app = {
    enableSandbox: () => void (fake.sandboxEnabled = true),
    whenReady: () => new Promise<void>((resolve) => (fake.ready = resolve)),
    requestSingleInstanceLock: () => (fake.singleInstanceLock = true),
    on: (ev: string, fn: Handler) => void fake.appOn.set(ev, fn),
    quit: () => undefined
  }
  return {
    app,
    BrowserWindow,
    dialog: {},
    Menu: { setApplicationMenu: () => undefined, buildFromTemplate: (t: unknown) => t },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (fn: Handler) => void (fake.headerHook = fn) },
        setPermissionRequestHandler: (fn: Handler) => void (fake.permissionHandler = fn)
      }
    },
    ipcMain: {
      handle: (channel: string, fn: (event: unknown, req: unknown) => unknown) =>
        void fake.handles.set(channel, fn),
      on: (channel: string) => void fake.ipcOn.push(channel)
    },
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => void fake.exposed.set(key, value) },
    ipcRenderer: {
      invoke: (channel: string, req: unknown) => {
        fake.invoked.push({ channel, req })
        return Promise.resolve('ok')
      },
      on: (channel: string, fn: Handler) =>
        void fake.rendererListeners.set(channel, [...(fake.rendererListeners.get(channel) ?? []), fn]),
      removeListener: (channel: string, fn: Handler) =>
        void fake.rendererListeners.set(
          channel,
          (fake.rendererListeners.get(channel) ?? []).filter((f) => f !== fn)
        )
    }
  }
})

// ------------------------------------------------------------------------------------------------

function cspDirectives(csp: string): Map<string, string[]> {
  const m = new Map<string, string[]>()
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/)
    if (name) m.set(name.toLowerCase(), values)
  }
  return m
}

function expectStrictCsp(csp: string): void {
  const d = cspDirectives(csp)
  expect(d.get('default-src')).toEqual(["'self'"])
  const scripts = d.get('script-src') ?? d.get('default-src') ?? []
  expect(scripts).not.toContain("'unsafe-eval'")
  expect(scripts).not.toContain("'unsafe-inline'")
  expect(scripts.some((s) => s === '*' || s.startsWith('http') || s === 'data:')).toBe(false)
  expect(d.get('object-src')).toEqual(["'none'"])
  expect(d.get('base-uri')).toEqual(["'none'"])
  // The renderer may only talk to loopback.
  for (const src of d.get('connect-src') ?? [])
    expect(src).toMatch(/^('self'|ws:\/\/(127\.0\.0\.1|localhost):\*)$/)
}

describe('window settings and CSP', () => {
  it('BrowserWindow webPreferences: isolated, sandboxed, no node, web security on', () => {
    expect(WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false
    })
  })

  it('the renderer CSP (header and browser mode) forbids eval, inline scripts, plugins and foreign hosts', () => {
    expectStrictCsp(RENDERER_CSP)
    expectStrictCsp(WEB_CSP)
    expect(cspDirectives(WEB_CSP).get('frame-ancestors')).toEqual(["'none'"])
  })

  it('index.html carries the same CSP as a meta tag', () => {
    const file = 'src/renderer/index.html'
    expect(existsSync(path.join(root, file)), `${file} exists`).toBe(true)
    const html = read(file)
    const meta = /<meta\s+http-equiv=(["'])Content-Security-Policy\1\s+content=(["'])(.*?)\2/is.exec(html)
    expect(meta, 'a Content-Security-Policy meta tag').not.toBeNull()
    expectStrictCsp(meta![3])
    expect(cspDirectives(meta![3])).toEqual(cspDirectives(RENDERER_CSP))
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/i) // no inline script bodies
  })
})

describe('URL checks', () => {
  const fileApp = 'file:///opt/wirelab/resources/app/out/renderer/index.html'
  const devApp = 'http://localhost:5173/'

  it('isTrustedSender accepts only the app page', () => {
    expect(isTrustedSender(fileApp, fileApp)).toBe(true)
    expect(isTrustedSender(fileApp + '#/lesson', fileApp)).toBe(true)
    expect(isTrustedSender('http://localhost:5173/index.html', devApp)).toBe(true)
    for (const foreign of [
      undefined,
      '',
      'not a url',
      'https://evil.example/',
      'http://localhost:5174/',
      'http://127.0.0.1:5173/', // same server, different origin string: refused
      'file:///tmp/evil/index.html',
      'file:///opt/wirelab/resources/app/out/renderer/other.html',
      'data:text/html,<script>1</script>',
      'javascript:alert(1)',
      'about:blank',
      'devtools://devtools/bundled/inspector.html'
    ]) {
      expect(isTrustedSender(foreign, fileApp), String(foreign)).toBe(false)
      expect(isTrustedSender(foreign, devApp), String(foreign)).toBe(false)
    }
  })

  it('isAllowedNavigation refuses anything but the app page itself', () => {
    expect(isAllowedNavigation(fileApp + '#/x', fileApp)).toBe(true)
    for (const target of [
      'https://evil.example/',
      'http://localhost:5173/',
      'file:///etc/passwd',
      'file:///tmp/index.html',
      'javascript:alert(1)',
      'data:text/html,x',
      'about:blank',
      '',
      'nonsense'
    ])
      expect(isAllowedNavigation(target, fileApp), target).toBe(false)
    expect(isAllowedNavigation('http://localhost:5173/other', devApp)).toBe(false)
    expect(isAllowedNavigation('https://localhost:5173/', devApp)).toBe(false)
  })
})

describe('the Electron glue (src/main/index.ts)', () => {
  const source = read('src/main/index.ts')
  const sf = ts.createSourceFile('index.ts', source, ts.ScriptTarget.Latest, true)
  const calls: ts.CallExpression[] = []
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) calls.push(n)
    ts.forEachChild(n, visit)
  }
  visit(sf)
  const callee = (c: ts.CallExpression): string => c.expression.getText(sf)

  it('source: every ipcMain.handle calls guard(event) before anything else; no ipcMain.on', () => {
    const handles = calls.filter((c) => callee(c) === 'ipcMain.handle')
    expect(handles.length).toBeGreaterThan(0)
    for (const h of handles) {
      const fn = h.arguments[1]
      expect(fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))).toBe(true)
      const f = fn as ts.ArrowFunction
      const event = f.parameters[0]?.name.getText(sf)
      expect(event).toBeTruthy()
      const body = f.body
      expect(ts.isBlock(body)).toBe(true)
      const first = (body as ts.Block).statements[0]
      expect(first?.getText(sf)).toBe(`guard(${event})`)
    }
    expect(calls.filter((c) => /^ipcMain\.(on|once|handleOnce)$/.test(callee(c)))).toEqual([])
    // guard refuses other webContents and untrusted frames.
    const guard = sf.statements.find((s) => ts.isFunctionDeclaration(s) && s.name?.text === 'guard')
    expect(guard?.getText(sf)).toMatch(/event\.sender\.id !== win\.webContents\.id/)
    expect(guard?.getText(sf)).toMatch(/isTrustedSender\(event\.senderFrame\?\.url/)
  })

  it('source: the window uses WEB_PREFERENCES unchanged, denies new windows, guards navigation and webviews', () => {
    const bw =
      calls.length &&
      (() => {
        let found: ts.NewExpression | undefined
        const find = (n: ts.Node): void => {
          if (ts.isNewExpression(n) && n.expression.getText(sf) === 'BrowserWindow') found = n
          ts.forEachChild(n, find)
        }
        find(sf)
        return found
      })()
    expect(bw).toBeTruthy()
    const opts = (bw as ts.NewExpression).arguments?.[0] as ts.ObjectLiteralExpression
    const wp = opts.properties.find((p) => p.name?.getText(sf) === 'webPreferences') as ts.PropertyAssignment
    const lit = wp.initializer as ts.ObjectLiteralExpression
    expect(ts.isSpreadAssignment(lit.properties[0]) && lit.properties[0].expression.getText(sf)).toBe(
      'WEB_PREFERENCES'
    )
    expect(lit.properties.slice(1).map((p) => p.name?.getText(sf))).toEqual(['preload'])
    expect(source).not.toMatch(
      /(sandbox|contextIsolation|webSecurity)\s*:\s*false|nodeIntegration\w*\s*:\s*true/
    )
    expect(
      calls.some(
        (c) =>
          callee(c) === 'win.webContents.setWindowOpenHandler' &&
          /action:\s*'deny'/.test(c.arguments[0].getText(sf))
      )
    ).toBe(true)
    expect(
      calls.some(
        (c) =>
          callee(c) === 'win.webContents.on' &&
          c.arguments[0].getText(sf) === "'will-navigate'" &&
          /isAllowedNavigation/.test(c.getText(sf))
      )
    ).toBe(true)
    expect(calls.some((c) => callee(c) === 'app.enableSandbox')).toBe(true)
  })

  describe('run against a stand-in electron module', () => {
    beforeAll(async () => {
      await import('./index')
      fake.ready?.()
      await vi.waitFor(() => expect(fake.windows.length).toBe(1))
    })

    it('creates the window with the baseline settings and a preload', () => {
      const wp = fake.windows[0].options.webPreferences as Record<string, unknown>
      expect(wp).toMatchObject(WEB_PREFERENCES)
      expect(String(wp.preload)).toMatch(/preload[\\/]index\.js$/)
      expect(fake.sandboxEnabled).toBe(true)
    })

    it('denies window.open, foreign navigation and webviews; sends the CSP header; denies permissions', () => {
      const wc = fake.windows[0].wc
      expect(wc.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
      let prevented = false
      wc.on.get('will-navigate')?.({ preventDefault: () => (prevented = true) }, 'https://evil.example/')
      expect(prevented).toBe(true)
      let webview = false
      wc.on.get('will-attach-webview')?.({ preventDefault: () => (webview = true) })
      expect(webview).toBe(true)
      let headers: Record<string, unknown> = {}
      fake.headerHook?.(
        { responseHeaders: { a: ['b'] } },
        (r: { responseHeaders: Record<string, unknown> }) => (headers = r.responseHeaders)
      )
      expect(headers['Content-Security-Policy']).toEqual([RENDERER_CSP])
      let granted: boolean | undefined
      fake.permissionHandler?.({}, 'media', (ok: boolean) => (granted = ok))
      expect(granted).toBe(false)
    })

    it('holds the single-instance lock; a second launch’s session file opens in the first window', async () => {
      expect(fake.singleInstanceLock).toBe(true)
      const dir = mkdtempSync(path.join(tmpdir(), 'wirelab-'))
      writeFileSync(path.join(dir, 'aula.wirelab'), '{"format":"wirelab-session"}')
      const wc = fake.windows[0].wc
      wc.on.get('did-finish-load')?.()
      const before = fake.focused
      fake.appOn.get('second-instance')?.({}, ['/opt/Wirelab/wirelab', '--no-sandbox', 'aula.wirelab'], dir)
      expect(fake.focused).toBe(before + 1)
      await vi.waitFor(() =>
        expect(wc.sent).toContainEqual(['wirelab:open-session', '{"format":"wirelab-session"}'])
      )
      rmSync(dir, { recursive: true, force: true })
    })

    it('registers a handler for every command and nothing else', () => {
      expect([...fake.handles.keys()].sort()).toEqual([...COMMAND_NAMES].sort())
      expect(fake.ipcOn).toEqual([])
    })

    it('IPC handlers refuse unknown senders and invalid payloads, and serve the app page', async () => {
      const wc = fake.windows[0].wc
      const appPage = 'file://' + path.join(__dirname, '../renderer/index.html')
      const trusted = { sender: { id: wc.id }, senderFrame: { url: appPage } }
      const handler = (c: CommandName): ((event: unknown, req: unknown) => unknown) => fake.handles.get(c)!
      for (const c of COMMAND_NAMES) {
        await expect(
          Promise.resolve().then(() =>
            handler(c)({ sender: { id: wc.id + 100 }, senderFrame: { url: appPage } }, null)
          )
        ).rejects.toThrow(/unknown sender/)
        await expect(
          Promise.resolve().then(() =>
            handler(c)({ sender: { id: wc.id }, senderFrame: { url: 'https://evil.example/' } }, null)
          )
        ).rejects.toThrow(/unknown sender/)
        await expect(
          Promise.resolve().then(() => handler(c)({ sender: { id: wc.id }, senderFrame: null }, null))
        ).rejects.toThrow(/unknown sender/)
        for (const bad of INVALID[c])
          await expect(
            Promise.resolve().then(() => handler(c)(trusted, bad)),
            `${c} ${JSON.stringify(bad)}`
          ).rejects.toBeInstanceOf(InvalidRequest)
      }
      const info = (await handler('host:info')(trusted, null)) as { mode: string; bindHost: string }
      expect(info).toMatchObject({ mode: 'electron', bindHost: '127.0.0.1' })
    })
  })
})

describe('the preload', () => {
  it('exposes one function per command plus event listeners, never ipcRenderer or the IPC event', async () => {
    await import('../preload/index')
    const api = fake.exposed.get('wirelab') as Record<string, unknown>
    expect([...fake.exposed.keys()]).toEqual(['wirelab'])
    expect(Object.keys(api).sort()).toEqual(
      [...COMMAND_NAMES, 'onEvents', 'onConnection', 'onOpenSession'].sort()
    )
    for (const v of Object.values(api)) expect(typeof v).toBe('function')
    await (api['scene:start'] as (r: unknown) => Promise<unknown>)({ scene: 'x' })
    expect(fake.invoked.at(-1)).toEqual({ channel: 'scene:start', req: { scene: 'x' } })
    const got: unknown[][] = []
    const off = (api.onEvents as (l: (...a: unknown[]) => void) => () => void)((...a) => got.push(a))
    const listener = fake.rendererListeners.get('wirelab:events')![0]
    listener({ sender: 'the IPC event' }, { events: [], dropped: 0 })
    expect(got).toEqual([[{ events: [], dropped: 0 }]])
    off()
    expect(fake.rendererListeners.get('wirelab:events')).toEqual([])
    const src = read('src/preload/index.ts')
    expect(src).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/)
  })
})
