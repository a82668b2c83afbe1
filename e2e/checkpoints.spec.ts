// Checkpoints, predict then reveal: the question stops playback before the step's real traffic,
// people pick an answer (mouse, number keys), the step plays (a clicker's PageDown), and the answer
// read from the real events is revealed and checked against the pick. Q turns them off.
import { expect, test, type Page } from '@playwright/test'
import { openLesson } from './helpers'
import { findTextProblems } from './layout-check'

// The config starts every spec with checkpoints off; these tests are about them.
test.use({ storageState: { cookies: [], origins: [] } })

async function asked(page: Page, id: string): Promise<void> {
  const card = page.getByTestId('checkpoint')
  await expect(card).toHaveAttribute('data-phase', 'asking')
  await expect(card).toHaveAttribute('data-checkpoint', id)
  await expect(page.getByTestId('pb-state')).toHaveAttribute('data-state', 'paused')
  // Held at the question: the step's events are in the log but not on screen yet.
  const [shown, total] = ((await page.getByTestId('pb-step').textContent()) ?? '0/0').split('/').map(Number)
  expect(total).toBeGreaterThan(shown)
  // Big enough to read from the back of a room.
  const px = await page.getByTestId('checkpoint-question').evaluate((e) => parseFloat(getComputedStyle(e).fontSize))
  expect(px).toBeGreaterThanOrEqual(24)
}

/** The card's text is neither cut nor drawn over other text, at both projector sizes. */
async function fitsProjector(page: Page): Promise<void> {
  for (const size of [
    { width: 1920, height: 1080 },
    { width: 1280, height: 720 }
  ]) {
    await page.setViewportSize(size)
    const problems = await page.evaluate(findTextProblems, ['[data-testid=checkpoint]'])
    expect(problems, `${size.width}×${size.height}: ${JSON.stringify(problems.slice(0, 5))}`).toEqual([])
    // Nothing of the card hidden behind a scroll bar either.
    const scrolled = await page.locator('.cp-card').evaluateAll((els) => els.filter((e) => e.scrollHeight > e.clientHeight + 1).length)
    expect(scrolled, `${size.width}×${size.height}: the card scrolls`).toBe(0)
  }
  await page.setViewportSize({ width: 1920, height: 1080 })
}

async function revealed(page: Page): Promise<void> {
  await expect(page.getByTestId('checkpoint')).toHaveAttribute('data-phase', 'revealed', { timeout: 60_000 })
}

test('MQTT: which subscribers get the PUBLISH, predicted with the mouse, revealed from the real PUBLISH packets', async ({ page }) => {
  await openLesson(page, 'mqtt', 'mqtt', { lang: 'en', theme: 'dark' })
  await page.getByTestId('action-demo').click()
  await asked(page, 'mqtt.fanout')
  const choices = page.getByTestId('checkpoint-choice')
  await expect(choices).toHaveCount(4)
  // No fan-out yet: the PUBLISH is held back while people think.
  await expect(page.getByTestId('view-fanout').getByTestId('fanout-out')).toHaveText('0')
  // A wrong prediction: Dashboard and Kitchen.
  await page.locator('[data-testid=checkpoint-choice][data-choice="sub:dashboard"]').click()
  await page.locator('[data-testid=checkpoint-choice][data-choice="sub:kitchen"]').click()
  await expect(page.locator('[data-testid=checkpoint-choice][aria-checked=true]')).toHaveCount(2)
  await page.getByTestId('checkpoint-play').click()
  await revealed(page)
  const card = page.getByTestId('checkpoint')
  await expect(card).toHaveAttribute('data-answer', /sub:dashboard/)
  expect(((await card.getAttribute('data-answer')) ?? '').split(' ').sort()).toEqual(['sub:dashboard', 'sub:living-room', 'sub:temperatures'])
  await expect(card).toHaveAttribute('data-verdict', 'wrong')
  await expect(page.locator('[data-testid=checkpoint-result][data-choice="sub:kitchen"]')).toHaveAttribute('data-right', 'false')
  await expect(page.getByTestId('checkpoint-explain')).toContainText('3 PUBLISH packets')
  // The fan-out view agrees with the answer.
  await expect(page.getByTestId('view-fanout').getByTestId('fanout-out')).toHaveText('3')
  await page.getByTestId('checkpoint-close').click()
  await expect(page.getByTestId('checkpoint')).toBeHidden()
})

test('serialization in projector mode, in Portuguese: the Protobuf size, predicted and played with the keyboard (a clicker), right; the card fits', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.addInitScript({ content: `localStorage.setItem('wirelab.presenter', '{"projector":true,"scale":1}')` })
  await openLesson(page, 'serialization', 'serialization', { lang: 'pt', theme: 'dark' })
  await expect(page.locator('html')).toHaveClass(/\bprojector\b/)
  await page.locator('.lesson .btn.primary').first().click()
  await asked(page, 'serialization.protobuf-size')
  await fitsProjector(page)
  await expect(page.getByTestId('checkpoint-question')).toContainText('Protobuf')
  await page.keyboard.press('3')
  await expect(page.locator('[data-testid=checkpoint-choice][data-choice=third]')).toHaveAttribute('aria-checked', 'true')
  await page.keyboard.press('PageDown')
  await revealed(page)
  await expect(page.getByTestId('checkpoint')).toHaveAttribute('data-answer', 'third')
  await expect(page.getByTestId('checkpoint')).toHaveAttribute('data-verdict', 'right')
  await expect(page.getByTestId('checkpoint-verdict')).toContainText('Acertou')
  await expect(page.getByTestId('checkpoint-explain')).toContainText(/JSON \d+ bytes, Protobuf \d+ bytes/)
  await fitsProjector(page)
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('checkpoint')).toBeHidden()
})

test('HTTP race: which side finishes first, answered from the response times; Q turns checkpoints off', async ({ page }) => {
  test.setTimeout(120_000)
  await openLesson(page, 'http-race', 'http', { lang: 'en', theme: 'dark' })
  await page.getByTestId('param-count').fill('12')
  await page.getByTestId('action-race').click()
  await asked(page, 'race.winner')
  await page.locator('[data-testid=checkpoint-choice][data-choice=h2]').click()
  await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('checkpoint')).toHaveAttribute('data-phase', /playing|revealed/)
  await revealed(page)
  const answer = await page.getByTestId('checkpoint').getAttribute('data-answer')
  expect(['h1', 'h2', 'tie']).toContain(answer)
  await expect(page.getByTestId('checkpoint')).toHaveAttribute('data-verdict', answer === 'h2' ? 'right' : 'wrong')
  await expect(page.getByTestId('checkpoint-explain')).toContainText(/HTTP\/1\.1 \d+ ms on \d+ connections, HTTP\/2 \d+ ms on 1/)
  // The race view shows the same winner.
  if (answer !== 'tie') await expect(page.locator('.race-win')).toHaveCount(1)
  // Off: the next race plays straight through, no question.
  await page.keyboard.press('Escape')
  await page.keyboard.press('q')
  await page.getByTestId('action-race').click()
  await expect(page.getByTestId('action-race')).toBeEnabled({ timeout: 60_000 })
  await page.getByTestId('pb-live').click()
  await expect(page.getByTestId('pb-state')).toHaveAttribute('data-state', 'live')
  await expect(page.getByTestId('checkpoint')).toBeHidden()
  await page.keyboard.press('q')
})
