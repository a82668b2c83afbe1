import { mkdirSync } from 'node:fs'
import { expect, type Page } from '@playwright/test'

/**
 * Opens the app, waits for the bridge, and (re)starts a lesson from the picker; `port` names the
 * public port to wait for. `settings` are stored before the page loads (language, theme).
 */
export async function openLesson(
  page: Page,
  scene: string,
  port = 'tcp',
  settings?: { lang: 'en' | 'pt'; theme: 'dark' | 'light' },
  /** How long the lesson may take to start (servers that start slowly, e.g. an embedded database). */
  startTimeout?: number
): Promise<void> {
  if (settings) {
    await page.addInitScript({
      content: `localStorage.setItem('wirelab.settings', ${JSON.stringify(JSON.stringify(settings))})`
    })
  }
  await page.goto('/')
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open')
  await expect(page.getByTestId('lesson-picker').locator(`option[value="${scene}"]`)).toBeAttached()
  await page.getByTestId('lesson-picker').selectOption(scene)
  await expect(page.getByTestId('lesson-state')).toHaveText(/running|em execução/i, { timeout: startTimeout })
  await expect(page.getByTestId(`port-${port}`)).toHaveAttribute('data-port', /^\d+$/, { timeout: startTimeout })
  // Teaching pace is for people; the tests watch at the fastest speed.
  await page.getByTestId('pb-speed').selectOption('4')
}

/**
 * Clears the log and restarts the running lesson (a fresh set of servers on new ports), then waits until it runs again:
 * for tests that need the lesson's own start state, whatever an earlier spec left in it.
 */
export async function restartLesson(page: Page, port: string): Promise<void> {
  const before = await page.getByTestId(`port-${port}`).getAttribute('data-port')
  // An empty log first: the views read this run only, not what earlier specs left in the engine.
  await page.getByTestId('session-clear').click()
  await expect(page.getByTestId('pb-step')).toHaveText(/^0\/0$/)
  await page.getByRole('button', { name: /^(Restart|Reiniciar)$/ }).click()
  await expect(page.getByTestId(`port-${port}`)).not.toHaveAttribute('data-port', before ?? '')
  await expect(page.getByTestId(`port-${port}`)).toHaveAttribute('data-port', /^\d+$/)
  await expect(page.getByTestId('lesson-state')).toHaveText(/running|em execução/i)
}

export const arrows = (page: Page, sel: string) => page.locator(`[data-testid=seq-arrow]${sel}`)

export function hexOf(text: string): string[] {
  return Array.from(new TextEncoder().encode(text), (b) => b.toString(16).padStart(2, '0'))
}

/** Runs a lesson action from its button, waits for it to finish without error, and goes back to live. */
export async function act(page: Page, action: string): Promise<void> {
  await page.getByTestId(`action-${action}`).click()
  await expect(page.getByTestId(`action-${action}`)).toBeEnabled({ timeout: 30_000 })
  await expect(page.getByTestId('action-error')).toHaveCount(0)
  await page.getByTestId('pb-live').click()
  await expect(page.getByTestId('pb-state')).toHaveAttribute('data-state', 'live')
}

/** Saves resources/screenshots/`name`.png once playback is live and no message is in flight. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.getByTestId('pb-live').click()
  await expect(page.getByTestId('pb-state')).toHaveAttribute('data-state', 'live')
  await expect(page.locator('circle.flight')).toHaveCount(0)
  mkdirSync('resources/screenshots', { recursive: true })
  await page.screenshot({ path: `resources/screenshots/${name}.png` })
}
