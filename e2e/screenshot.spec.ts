// Saves resources/screenshot.png (the README's picture): the echo lesson after a TCP send, the
// payload selected in the byte inspector. Run with `WIRELAB_SCREENSHOT=1 npx playwright test
// e2e/screenshot.spec.ts` after `electron-vite build`.
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { arrows, openLesson } from './helpers'

test.use({ viewport: { width: 1920, height: 1080 } })

test('README screenshot', async ({ page }) => {
  await page.addInitScript(() =>
    localStorage.setItem('wirelab.settings', JSON.stringify({ lang: 'en', theme: 'dark' }))
  )
  await openLesson(page, 'tcp-udp-echo')
  await page.getByTestId('action-send-tcp').click()
  await expect(arrows(page, '[data-label="FIN, ACK"]')).toHaveCount(2)
  await expect(page.getByTestId('pb-state')).toHaveAttribute('data-state', 'live')
  await expect(page.getByTestId('seq-close')).toHaveCount(1)
  await arrows(page, `[data-label='"Ola, mundo"'][data-dir=c2s]`).click()
  await page.locator('[data-testid=field][data-field-id="tcp.payload.text"]').click()
  await expect(page.locator('[data-testid=hex-byte][data-selected=true]')).toHaveCount(10)
  // Let the last flight land.
  await expect(page.locator('circle.flight')).toHaveCount(0)
  await page.screenshot({ path: path.join(__dirname, '..', 'resources', 'screenshot.png') })
})
