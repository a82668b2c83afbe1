// The course map: every lesson the engine lists is a card in its group; a card starts its lesson;
// M comes back from any lesson; the search filters by protocol or port.
import { expect, test, type Page } from '@playwright/test'

/** The engine's lessons, grouped, as the top bar's picker lists them (group label → scene ids). */
async function lessonsByGroup(page: Page): Promise<Map<string, string[]>> {
  const picker = page.getByTestId('lesson-picker')
  await expect(picker.locator('option[value="tcp-udp-echo"]')).toBeAttached()
  const groups = await picker.locator('optgroup').evaluateAll((els) =>
    els.map((g) => [
      (g as HTMLOptGroupElement).label,
      Array.from(g.querySelectorAll('option'))
        .map((o) => o.value)
        .filter((v) => v && !v.startsWith('soon-'))
    ])
  )
  return new Map(groups as [string, string[]][])
}

async function openHome(page: Page): Promise<void> {
  await page.addInitScript({ content: `localStorage.setItem('wirelab.settings', '{"lang":"en","theme":"dark"}')` })
  await page.goto('/')
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open')
  // With no lesson chosen the map is the first screen; with one running (the engine outlives the
  // page), M brings it up.
  await expect(page.getByTestId('home').or(page.getByTestId('lesson-panel'))).toBeVisible()
  // The running lesson's status may arrive just after the first paint (a long log takes a moment)
  // and replace the map with the lesson: M until the map stays.
  await expect(async () => {
    if (!(await page.getByTestId('home').isVisible())) await page.keyboard.press('m')
    await expect(page.getByTestId('home')).toBeVisible({ timeout: 1000 })
    await page.waitForTimeout(300)
    await expect(page.getByTestId('home')).toBeVisible({ timeout: 100 })
  }).toPass({ timeout: 20_000 })
}

test('every lesson is a card in its group, with its title, a line, its ports and a picture', async ({ page }) => {
  await openHome(page)
  const groups = await lessonsByGroup(page)
  let total = 0
  for (const [label, ids] of groups) {
    const section = page.getByRole('region', { name: label })
    await expect(section).toBeVisible()
    await expect(section.locator('[data-testid^=home-card-]')).toHaveCount(ids.length)
    for (const id of ids) {
      const card = section.getByTestId(`home-card-${id}`)
      await expect(card).toBeVisible()
      await expect(card.locator('.home-card-title')).not.toBeEmpty()
      await expect(card.locator('.home-card-line')).not.toBeEmpty()
      await expect(card.locator('.port-chip').first()).toHaveText(/^\d+\/(tcp|udp)$/)
      await expect(card.locator('svg.thumb')).toBeVisible()
      total++
    }
  }
  expect(total).toBeGreaterThanOrEqual(10)
  await expect(page.locator('[data-testid^=home-card-]')).toHaveCount(total)
})

test('a card starts its lesson; M returns to the map from the lesson, Esc goes back', async ({ page }) => {
  await openHome(page)
  await page.getByTestId('home-card-rest').click()
  await expect(page.getByTestId('home')).toBeHidden()
  await expect(page.getByTestId('lesson-title')).toHaveText('REST over HTTP/1.1')
  await expect(page.getByTestId('lesson-state')).toHaveText(/running/i)
  await expect(page.getByTestId('port-http')).toHaveAttribute('data-port', /^\d+$/)
  // One key away, from the lesson (focus anywhere but a text field).
  await page.locator('body').click({ position: { x: 5, y: 300 } })
  await page.keyboard.press('m')
  await expect(page.getByTestId('home')).toBeVisible()
  await expect(page.getByTestId('home-card-rest')).toContainText('Running')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('lesson-title')).toHaveText('REST over HTTP/1.1')
  // The top bar's button does the same, and a running lesson's card resumes it without a restart.
  const port = await page.getByTestId('port-http').getAttribute('data-port')
  await page.getByTestId('home-button').click()
  await expect(page.getByTestId('home')).toBeVisible()
  await page.getByTestId('home-card-rest').click()
  await expect(page.getByTestId('port-http')).toHaveAttribute('data-port', port!)
})

test('the search filters by port and by protocol, in either language', async ({ page }) => {
  await openHome(page)
  const cards = page.locator('[data-testid^=home-card-]')
  const search = page.getByTestId('home-search')
  await page.keyboard.press('/')
  await expect(search).toBeFocused()
  // 1883 is MQTT's port: the MQTT lesson's, and the ZeroMQ lesson's broker it compares with.
  await search.fill('1883')
  await expect(cards).toHaveCount(2)
  await expect(page.getByTestId('home-card-mqtt')).toBeVisible()
  await expect(page.getByTestId('home-card-zeromq')).toBeVisible()
  await search.fill('udp')
  await expect(page.getByTestId('home-card-tcp-udp-echo')).toBeVisible()
  await expect(page.getByTestId('home-card-mqtt')).toBeHidden()
  await search.fill('8443')
  await expect(page.getByTestId('home-card-tls')).toBeVisible()
  await expect(page.getByTestId('home-card-http2')).toBeVisible()
  await expect(page.getByTestId('home-card-rest')).toBeHidden()
  await search.fill('no-such-protocol')
  await expect(cards).toHaveCount(0)
  await expect(page.getByTestId('home-none')).toBeVisible()
  await page.getByTestId('lang-pt').click()
  await search.fill('')
  await expect(page.getByRole('region', { name: 'Mensageria' })).toBeVisible()
  await search.fill('1883')
  await expect(cards).toHaveCount(2)
})
