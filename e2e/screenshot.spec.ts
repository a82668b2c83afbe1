// Saves resources/screenshot.png (the README's picture): the echo lesson after a TCP send, the
// payload selected in the byte inspector. Run with `WIRELAB_SCREENSHOT=1 npx playwright test
// e2e/screenshot.spec.ts` after `electron-vite build`.
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { arrows, openLesson, restartLesson } from './helpers'

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

const shots = path.join(__dirname, '..', 'resources', 'screenshots')

test('README screenshot: the course map', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('wirelab.settings', JSON.stringify({ lang: 'en', theme: 'dark' })))
  await page.goto('/')
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open')
  // The map is the first screen with no lesson chosen; with one running (the engine outlives the page), M.
  await expect(page.getByTestId('home').or(page.getByTestId('lesson-panel'))).toBeVisible()
  await expect(async () => {
    if (!(await page.getByTestId('home').isVisible())) await page.keyboard.press('m')
    await expect(page.getByTestId('home')).toBeVisible({ timeout: 1000 })
    await page.waitForTimeout(300)
    await expect(page.getByTestId('home')).toBeVisible({ timeout: 100 })
  }).toPass({ timeout: 20_000 })
  await expect(page.locator('[data-testid^=home-card-]').first()).toBeVisible()
  await page.screenshot({ path: path.join(shots, 'home.png') })
})

test('README screenshot: a checkpoint revealed, in projector mode', async ({ page }) => {
  await page.addInitScript(() => {
    localStorage.setItem('wirelab.checkpoints', 'on')
    localStorage.setItem('wirelab.presenter', JSON.stringify({ projector: true, scale: 1 }))
  })
  await openLesson(page, 'mqtt', 'mqtt', { lang: 'en', theme: 'dark' })
  await page.getByTestId('stage-tab-lesson').click()
  // The lesson's own four subscribers, not the load test's twenty.
  await restartLesson(page, 'mqtt')
  await page.getByTestId('action-demo').click()
  const card = page.getByTestId('checkpoint')
  await expect(card).toHaveAttribute('data-phase', 'asking')
  await page.locator('[data-testid=checkpoint-choice][data-choice="sub:dashboard"]').click()
  await page.locator('[data-testid=checkpoint-choice][data-choice="sub:temperatures"]').click()
  await page.getByTestId('checkpoint-play').click()
  await expect(card).toHaveAttribute('data-phase', 'revealed', { timeout: 60_000 })
  // The whole log shown: the revealed answer beside the delivered messages.
  await expect(page.getByTestId('pb-step')).toHaveText(/^(\d+)\/\1\b/)
  await page.screenshot({ path: path.join(shots, 'checkpoint.png') })
})
