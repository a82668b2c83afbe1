import { expect, type Page } from '@playwright/test'

/** Opens the app, waits for the bridge, and (re)starts a lesson from the picker. */
export async function openLesson(page: Page, scene: string): Promise<void> {
  await page.goto('/')
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open')
  await expect(page.getByTestId('lesson-picker').locator(`option[value="${scene}"]`)).toBeAttached()
  await page.getByTestId('lesson-picker').selectOption(scene)
  await expect(page.getByTestId('lesson-state')).toHaveText(/running|em execução/i)
  await expect(page.getByTestId('port-tcp')).toHaveAttribute('data-port', /^\d+$/)
  // Teaching pace is for people; the tests watch at the fastest speed.
  await page.getByTestId('pb-speed').selectOption('4')
}

export const arrows = (page: Page, sel: string) => page.locator(`[data-testid=seq-arrow]${sel}`)

export function hexOf(text: string): string[] {
  return Array.from(new TextEncoder().encode(text), (b) => b.toString(16).padStart(2, '0'))
}
