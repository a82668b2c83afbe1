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
    await page.addInitScript({ content: `localStorage.setItem('wirelab.settings', ${JSON.stringify(JSON.stringify(settings))})` })
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

export const arrows = (page: Page, sel: string) => page.locator(`[data-testid=seq-arrow]${sel}`)

export function hexOf(text: string): string[] {
  return Array.from(new TextEncoder().encode(text), (b) => b.toString(16).padStart(2, '0'))
}
