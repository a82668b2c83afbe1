// Icons are SVG (lucide-react), never Unicode glyphs that a machine's fonts may lack (⏮ rendered as
// an empty box), and every icon button has an accessible name.
import { expect, test, type Locator } from '@playwright/test'
import { openLesson } from './helpers'

/** Characters the app once used as icons. None may appear as text anywhere in the UI. (Arrows
 *  between two addresses, as in `a:1 ⇄ b:2`, are text, not icons.) */
const GLYPHS = /[⏮⏭◀▶❚▏●☀☾⟲▣▾▸✓✗✕⚠★✂↻]/u

async function expectIconButtons(buttons: Locator): Promise<void> {
  const n = await buttons.count()
  expect(n).toBeGreaterThan(0)
  for (let i = 0; i < n; i++) {
    const b = buttons.nth(i)
    if (!(await b.isVisible())) continue
    await expect(b, await b.evaluate((e) => e.outerHTML.slice(0, 120))).toHaveAccessibleName(/\S/)
  }
}

async function expectNoGlyphs(where: Locator): Promise<void> {
  const text = await where.innerText()
  const m = GLYPHS.exec(text)
  expect(m ? text.slice(Math.max(0, m.index - 40), m.index + 20) : null, 'an icon glyph shown as text').toBeNull()
}

test('the playback bar draws SVG icons, each button named', async ({ page }) => {
  await openLesson(page, 'tcp-udp-echo', 'tcp', { lang: 'en', theme: 'dark' })
  const bar = page.getByTestId('playback')
  for (const [id, name] of [
    ['pb-home', /start/i],
    ['pb-back', /step back/i],
    ['pb-play', /play|pause/i],
    ['pb-forward', /step forward/i],
    ['pb-live', /live/i]
  ] as const) {
    const b = bar.getByTestId(id)
    await expect(b.locator('svg.lucide')).toHaveCount(1)
    await expect(b).toHaveAccessibleName(name)
    // An SVG icon has a real box: a missing-glyph box would be text, not an <svg>.
    const box = await b.locator('svg').boundingBox()
    expect(box && box.width >= 16 && box.height >= 16).toBe(true)
  }
  await expectIconButtons(bar.locator('button'))
  await expectNoGlyphs(bar)
  // The same names in Portuguese.
  await page.getByTestId('lang-pt').click()
  await expect(bar.getByTestId('pb-home')).toHaveAccessibleName(/ao início/i)
  await expect(bar.getByTestId('pb-forward')).toHaveAccessibleName(/passo à frente/i)
})

test('the top bar and the Present & export menu use SVG icons with accessible names', async ({ page }) => {
  await openLesson(page, 'tcp-udp-echo', 'tcp', { lang: 'en', theme: 'dark' })
  const top = page.locator('header.topbar')
  await expect(top.locator('.logo svg.lucide')).toHaveCount(1)
  await expect(page.getByTestId('theme').locator('svg.lucide')).toHaveCount(1)
  await page.getByTestId('presenter-menu-button').click()
  const menu = page.getByTestId('presenter-menu')
  await expect(menu).toBeVisible()
  await expect(page.getByTestId('presenter-menu-button').locator('svg.lucide')).toHaveCount(2)
  for (const id of ['pm-smaller', 'pm-bigger']) {
    await expect(menu.getByTestId(id).locator('svg.lucide')).toHaveCount(1)
    await expect(menu.getByTestId(id)).toHaveAccessibleName(/text/i)
  }
  await expect(menu.getByTestId('pm-record').locator('svg.lucide')).toHaveCount(1)
  await expectIconButtons(top.locator('button'))
  await expectIconButtons(menu.locator('button'))
  await expectNoGlyphs(top)
  await expectNoGlyphs(menu)
})

test('no lesson panel, view or caption shows an icon glyph as text', async ({ page }) => {
  await openLesson(page, 'tcp-udp-echo', 'tcp', { lang: 'en', theme: 'dark' })
  await page.getByTestId('action-send-both').click()
  await expect(page.getByTestId('packet-row').first()).toBeVisible()
  await page.getByTestId('packet-row').first().click()
  await expect(page.getByTestId('packet-row').first().locator('svg.dir-icon')).toHaveAccessibleName(/client → server|server → client/)
  await expectNoGlyphs(page.locator('#root'))
  await expectIconButtons(page.locator('#root button'))
})
