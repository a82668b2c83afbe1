// The Electron security baseline as data and pure checks, so tests can assert it without an
// Electron runtime. index.ts applies exactly these.
export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false
} as const

/** The renderer's Content-Security-Policy (also set as a meta tag in index.html). */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'"
].join('; ')

/**
 * Whether an IPC message comes from the app's own page: the main window's top frame, loaded from the
 * app's own URL (the built index.html, or the dev server during development).
 */
export function isTrustedSender(frameUrl: string | undefined, appUrl: string): boolean {
  if (!frameUrl) return false
  try {
    const a = new URL(frameUrl)
    const b = new URL(appUrl)
    if (a.protocol !== b.protocol) return false
    if (a.protocol === 'file:') return a.pathname === b.pathname
    return a.origin === b.origin
  } catch {
    return false
  }
}

/** Navigation away from the app's page is refused (links never replace the app). */
export function isAllowedNavigation(target: string, appUrl: string): boolean {
  try {
    const t = new URL(target)
    const a = new URL(appUrl)
    return t.protocol === a.protocol && t.origin === a.origin && t.pathname === a.pathname
  } catch {
    return false
  }
}
