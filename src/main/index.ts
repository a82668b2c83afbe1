// Electron entry: the window, its security settings, and the engine wired to IPC. Everything else
// is the engine in ./lab, which never imports electron.
import { app, BrowserWindow, dialog, ipcMain, Menu, session, type IpcMainInvokeEvent } from 'electron'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { COMMAND_NAMES, type Req, type SaveReply } from '../shared/api'
import { isCommandName } from '../shared/validate'
import { Lab } from './lab/lab'
import { LogFeed } from './lab/session/feed'
import { saveTo, type SaveFormat } from './lab/session/save'
import { commandHandlers, dispatch } from './commands'
import { RENDERER_CSP, WEB_PREFERENCES, isAllowedNavigation, isTrustedSender } from './security'
import { sessionFileArg } from './session-file-arg'

const lab = new Lab()
let win: BrowserWindow | null = null
let feed: LogFeed | null = null

const appUrl = (): string =>
  process.env.ELECTRON_RENDERER_URL ?? new URL('file://' + path.join(__dirname, '../renderer/index.html')).href

function guard(event: IpcMainInvokeEvent): void {
  if (!win || event.sender.id !== win.webContents.id || !isTrustedSender(event.senderFrame?.url, appUrl()))
    throw new Error('refused: IPC from an unknown sender')
}

function wireIpc(): void {
  for (const channel of COMMAND_NAMES) {
    ipcMain.handle(channel, async (event, req: unknown) => {
      guard(event)
      if (!isCommandName(channel) || !feed) throw new Error('unknown command')
      const handlers = commandHandlers(lab, 'electron', { feed, save: (r) => save(r.format, r.name) })
      return dispatch(handlers, channel, req)
    })
  }
}

/** Asks where, then writes the whole session there (streamed: memory and disk alike). */
async function save(format: SaveFormat, name?: Req<'session:save'>['name']): Promise<SaveReply> {
  if (!win) return { canceled: true }
  const ext = format === 'pcap' ? 'pcap' : 'wirelab'
  const r = await dialog.showSaveDialog(win, {
    defaultPath: name ?? `session.${ext}`,
    filters: [{ name: format === 'pcap' ? 'pcap' : 'Wirelab session', extensions: [ext] }]
  })
  if (r.canceled || !r.filePath) return { canceled: true }
  await saveTo(lab.session, format, r.filePath, lab.status()?.scene)
  return { path: r.filePath }
}

async function saveSession(): Promise<void> {
  await save('wirelab')
}

async function exportPcap(): Promise<void> {
  await save('pcap')
}

/** A session file asked for before the window could take it (a launch argument, macOS open-file). */
let pendingFile: string | null = null
let loaded = false

async function openSession(file: string): Promise<void> {
  if (!win || !loaded) {
    pendingFile = file
    return
  }
  try {
    win.webContents.send('wirelab:open-session', await readFile(file, 'utf8'))
  } catch (e) {
    dialog.showErrorBox('Wirelab', `Could not open ${file}: ${e instanceof Error ? e.message : String(e)}`)
  }
}

function focusWindow(): void {
  if (!win) return
  if (win.isMinimized()) win.restore()
  win.focus()
}

function createWindow(): void {
  win = new BrowserWindow({
    width: 1600,
    height: 1000,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Wirelab',
    backgroundColor: '#0f1420',
    webPreferences: { ...WEB_PREFERENCES, preload: path.join(__dirname, '../preload/index.js') }
  })
  win.once('ready-to-show', () => win?.show())
  loaded = false
  win.webContents.on('did-finish-load', () => {
    loaded = true
    const file = pendingFile
    pendingFile = null
    if (file) void openSession(file)
  })
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, appUrl())) event.preventDefault()
  })
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  win.webContents.on('will-attach-webview', (event) => event.preventDefault())

  feed?.close()
  const f = new LogFeed(lab.session, (packet) => {
    if (win && !win.isDestroyed()) win.webContents.send('wirelab:events', packet)
  })
  feed = f
  win.on('closed', () => {
    f.close()
    win = null
  })
  void win.loadURL(appUrl())
}

function buildMenu(): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      {
        label: 'File',
        submenu: [
          {
            label: 'Open session…',
            accelerator: 'CmdOrCtrl+O',
            click: async () => {
              if (!win) return
              const r = await dialog.showOpenDialog(win, { filters: [{ name: 'Wirelab session', extensions: ['wirelab', 'json'] }] })
              if (!r.canceled && r.filePaths[0]) await openSession(r.filePaths[0])
            }
          },
          { label: 'Save session…', accelerator: 'CmdOrCtrl+S', click: () => void saveSession() },
          { label: 'Export pcap…', accelerator: 'CmdOrCtrl+E', click: () => void exportPcap() },
          { type: 'separator' },
          { role: 'quit' }
        ]
      },
      { role: 'editMenu' },
      { role: 'viewMenu' }
    ])
  )
}

// One Wirelab at a time: a second launch (double-clicking a saved session while Wirelab runs) hands
// its file to the first window and quits. macOS delivers double-clicked files as `open-file`.
const primary = app.requestSingleInstanceLock()
if (!primary) app.quit()
app.on('second-instance', (_event, argv, workingDirectory) => {
  focusWindow()
  const file = sessionFileArg(argv, workingDirectory)
  if (file) void openSession(file)
})
app.on('open-file', (event, file) => {
  event.preventDefault()
  void openSession(file)
})
pendingFile = sessionFileArg(process.argv, process.cwd())

app.enableSandbox()
app.whenReady().then(() => {
  if (!primary) return
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  wireIpc()
  buildMenu()
  createWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })
})

app.on('window-all-closed', () => {
  void lab.stop().finally(() => {
    if (process.platform !== 'darwin') app.quit()
  })
})
