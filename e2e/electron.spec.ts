// The desktop app itself, launched through Playwright's Electron support. It needs the Electron
// runtime, which `npm install` fetches where it can; elsewhere this spec is skipped with the reason.
import { test, expect, _electron as electron } from '@playwright/test'
import { existsSync } from 'node:fs'
import path from 'node:path'

const root = path.join(__dirname, '..')

function electronPath(): string | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const p = require('electron') as unknown
    return typeof p === 'string' && existsSync(p) ? p : null
  } catch {
    return null
  }
}

const binary = electronPath()

test.describe('Electron app', () => {
  test.skip(!binary, 'No Electron runtime is installed (its download is not reachable from this machine); browser-mode specs cover the renderer.')

  test('opens a secure window, lists lessons and runs the echo lesson over IPC', async () => {
    const app = await electron.launch({ executablePath: binary ?? undefined, args: [root], env: { ...process.env, CI: '1' } })
    try {
      const page = await app.firstWindow()
      const prefs = await app.evaluate(({ BrowserWindow }) => {
        const w = BrowserWindow.getAllWindows()[0]
        // getLastWebPreferences is not in electron's typings but exists at run time.
        const wc = w.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> | null }
        const p = wc.getLastWebPreferences()
        return { contextIsolation: p?.contextIsolation, sandbox: p?.sandbox, nodeIntegration: p?.nodeIntegration, webSecurity: p?.webSecurity }
      })
      expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true })
      expect(await page.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require)).toBe('undefined')
      expect(await page.evaluate(() => typeof (globalThis as unknown as { process?: unknown }).process)).toBe('undefined')
      const scenes = await page.evaluate(async () => {
        const api = (globalThis as unknown as { wirelab: { 'scene:list': (r: null) => Promise<{ id: string }[]> } }).wirelab
        return (await api['scene:list'](null)).map((s) => s.id)
      })
      expect(scenes).toContain('tcp-udp-echo')
      const opened = await page.evaluate(() => globalThis.open('https://example.invalid/'))
      expect(opened).toBeNull()
    } finally {
      await app.close()
    }
  })
})
