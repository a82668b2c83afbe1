// The fundamentals lessons end to end in browser mode: blocking vs async servers (clients' lanes,
// the kernel's accept queues), buffers (queues filling and draining), and the Thrift lesson's curl
// moment. Each test also saves a 1920×1080 screenshot under resources/screenshots/.
import { mkdirSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import { openLesson } from './helpers'

test.use({ viewport: { width: 1920, height: 1080 } })

async function act(page: Page, action: string): Promise<void> {
  await page.getByTestId(`action-${action}`).click()
  await expect(page.getByTestId(`action-${action}`)).toBeEnabled({ timeout: 60_000 })
  await expect(page.getByTestId('action-error')).toHaveCount(0)
}

async function shot(page: Page, name: string): Promise<void> {
  await page.getByTestId('pb-live').click()
  await expect(page.getByTestId('pb-state')).toHaveAttribute('data-state', 'live')
  mkdirSync('resources/screenshots', { recursive: true })
  await page.screenshot({ path: `resources/screenshots/${name}.png` })
}

test('blocking-async: replies one work-time apart from the blocking server, together from the event loop; the accept queue fills', async ({ page }) => {
  await openLesson(page, 'blocking-async', 'blocking', { lang: 'en', theme: 'dark' })
  await page.getByTestId('param-delay').fill('600')
  await act(page, 'race')
  await page.getByTestId('pb-live').click()
  const view = page.getByTestId('view-servers')
  const blocking = view.locator('[data-testid=servers-column][data-model=blocking]')
  const loop = view.locator('[data-testid=servers-column][data-model=event-loop]')
  await expect(blocking.locator('[data-testid=servers-lane][data-reply-ms]:not([data-reply-ms=""])')).toHaveCount(5)
  await expect(loop.locator('[data-testid=servers-lane][data-reply-ms]:not([data-reply-ms=""])')).toHaveCount(5)
  const times = async (col: typeof blocking): Promise<number[]> =>
    (await col.getByTestId('servers-lane').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-reply-ms'))))).sort((a, b) => a - b)
  const b = await times(blocking)
  expect(b[4] - b[0]).toBeGreaterThanOrEqual(4 * 600 * 0.9)
  const l = await times(loop)
  expect(l[4] - l[0]).toBeLessThan(600 * 0.6) // together
  await expect(blocking.getByTestId('queue-gauge')).toHaveAttribute('data-backlog', '4')
  await shot(page, 'blocking-async')
})
