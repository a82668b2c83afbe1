/// <reference lib="dom" />
// Presenter: the shortcut map (keyboard and clicker), captions in both languages, projector mode
// at 1920×1080 with body text ≥ 24 px, spotlight, and the exports (SVG, PNG, pcap, WebM video).
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { expect, test, type Page } from '@playwright/test'
import { openLesson } from './helpers'

const run = promisify(execFile)

async function blur(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
}

async function step(page: Page): Promise<number> {
  const t = (await page.getByTestId('pb-step').textContent()) ?? ''
  return Number(t.split('/')[0])
}

async function menu(page: Page): Promise<void> {
  if (!(await page.getByTestId('presenter-menu').isVisible()))
    await page.getByTestId('presenter-menu-button').click()
  await expect(page.getByTestId('presenter-menu')).toBeVisible()
}

async function download(page: Page, click: () => Promise<void>): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), click()])
  const file = test.info().outputPath(dl.suggestedFilename())
  await dl.saveAs(file)
  return file
}

/** Runs the echo lesson once and waits until its last step is on screen. */
async function echo(page: Page, lang: 'en' | 'pt' = 'en'): Promise<void> {
  await openLesson(page, 'tcp-udp-echo')
  await page.getByTestId(`lang-${lang}`).click()
  await page.getByTestId('action-send-both').click()
  await expect(page.locator('[data-testid=seq-arrow][data-protocol=udp]')).toHaveCount(2)
  await expect(page.getByTestId('action-send-both')).toBeEnabled()
  await expect(page.getByTestId('pb-state')).toHaveAttribute('data-state', 'live')
  await blur(page)
}

test.describe.configure({ timeout: 120_000 })

test('shortcut map: Space, → ← PageDown PageUp, + −, Home, End, F, P, H, S, L, [ ], ? and Esc', async ({
  page
}) => {
  await echo(page)
  const total = Number(((await page.getByTestId('pb-step').textContent()) ?? '').split('/')[1])
  expect(total).toBeGreaterThan(4)

  // Home: the start, paused. → and PageDown (a clicker's "next") step forward; ← and PageUp back.
  await page.keyboard.press('Home')
  await expect(page.getByTestId('pb-state')).toHaveAttribute('data-state', 'paused')
  await expect(page.getByTestId('pb-step')).toHaveText(`0/${total}`)
  await page.keyboard.press('PageDown')
  await expect(page.getByTestId('pb-step')).toHaveText(`1/${total}`)
  await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('pb-step')).toHaveText(`2/${total}`)
  await page.keyboard.press('PageDown')
  await expect(page.getByTestId('pb-step')).toHaveText(`3/${total}`)
  await page.keyboard.press('PageUp')
  await expect(page.getByTestId('pb-step')).toHaveText(`2/${total}`)
  await page.keyboard.press('ArrowLeft')
  await expect(page.getByTestId('pb-step')).toHaveText(`1/${total}`)

  // + / − change the speed; Space plays and pauses.
  await expect(page.getByTestId('pb-speed')).toHaveValue('4')
  await page.keyboard.press('-')
  await expect(page.getByTestId('pb-speed')).toHaveValue('3')
  await page.keyboard.press('+')
  await expect(page.getByTestId('pb-speed')).toHaveValue('4')
  await page.keyboard.press('Space')
  await expect(page.getByTestId('pb-state')).toHaveAttribute('data-state', /playing|live/)
  await expect.poll(() => step(page)).toBeGreaterThan(1)
  await page.keyboard.press('Space')
  await expect(page.getByTestId('pb-state')).toHaveAttribute('data-state', 'paused')
  const held = await step(page)
  await page.keyboard.press('End')
  await expect(page.getByTestId('pb-step')).toHaveText(`${total}/${total}`)
  expect(held).toBeLessThanOrEqual(total)

  // ? shows the shortcut map (the clicker keys listed), Esc closes it.
  await page.keyboard.press('?')
  const overlay = page.getByTestId('shortcut-overlay')
  await expect(overlay).toBeVisible()
  await expect(overlay).toContainText('PageDown')
  await expect(overlay).toContainText('PageUp')
  await page.keyboard.press('Escape')
  await expect(overlay).toHaveCount(0)

  // P: projector mode on and off.
  const html = page.locator('html')
  await page.keyboard.press('p')
  await expect(html).toHaveClass(/\bprojector\b/)
  await page.keyboard.press('P')
  await expect(html).not.toHaveClass(/\bprojector\b/)

  // [ ] and 0: the type scale.
  const rootSize = (): Promise<number> =>
    page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize))
  const base = await rootSize()
  await page.keyboard.press(']')
  await expect.poll(rootSize).toBeGreaterThan(base)
  await page.keyboard.press('[')
  await page.keyboard.press('[')
  await expect.poll(rootSize).toBeLessThan(base)
  await page.keyboard.press('0')
  await expect.poll(rootSize).toBe(base)

  // F: full screen (Fullscreen API) and back.
  await page.keyboard.press('f')
  await expect.poll(() => page.evaluate(() => document.fullscreenElement !== null)).toBe(true)
  await page.keyboard.press('f')
  await expect.poll(() => page.evaluate(() => document.fullscreenElement !== null)).toBe(false)

  // H: the chrome hides (only the views and the caption), and comes back.
  await page.keyboard.press('h')
  await expect(page.getByTestId('playback')).toBeHidden()
  await expect(page.getByTestId('lesson-panel')).toBeHidden()
  await expect(page.getByTestId('caption')).toBeVisible()
  await expect(page.getByTestId('show-chrome')).toBeVisible()
  await page.keyboard.press('h')
  await expect(page.getByTestId('playback')).toBeVisible()

  // S: spotlight: with a UDP datagram selected, the TCP connection's rows dim.
  await page.keyboard.press('s')
  await expect(html).toHaveClass(/\bspotlight\b/)
  await page.locator('[data-testid=seq-arrow][data-protocol=udp]').first().click()
  await blur(page)
  const udpConn = await page
    .locator('[data-testid=seq-arrow][data-protocol=udp]')
    .first()
    .getAttribute('data-conn')
  const tcpRow = page.locator('[data-testid=seq-arrow][data-protocol=tcp]').first()
  await expect.poll(() => tcpRow.evaluate((el) => Number(getComputedStyle(el).opacity))).toBeLessThan(0.5)
  const udpRow = page.locator(`[data-testid=seq-arrow][data-conn="${udpConn}"]`).first()
  await expect.poll(() => udpRow.evaluate((el) => Number(getComputedStyle(el).opacity))).toBe(1)
  await page.keyboard.press('S')
  await expect(html).not.toHaveClass(/\bspotlight\b/)
  await expect.poll(() => tcpRow.evaluate((el) => Number(getComputedStyle(el).opacity))).toBe(1)

  // L: Portuguese and back.
  await page.keyboard.press('l')
  await expect(html).toHaveAttribute('lang', 'pt-BR')
  await page.keyboard.press('l')
  await expect(html).toHaveAttribute('lang', 'en')
})

test('captions follow the steps and switch to Portuguese', async ({ page }) => {
  await echo(page, 'en')
  const caption = page.getByTestId('caption')
  await expect(caption).toContainText('UDP echo received')
  await page.getByTestId('lang-pt').click()
  await expect(caption).toContainText('Eco UDP recebido')
  await expect(page.getByTestId('lesson-title')).not.toHaveText('')

  // Back to the first step of this run's narration: the caption advances with the steps.
  await blur(page)
  // (A step may keep the caption: a checkpoint's question and answer are steps without narration.)
  const texts: string[] = []
  const early = (t: string): boolean => /TCP: o cliente/.test(t) || /UDP: sem/.test(t)
  for (let i = 0; i < 40 && !texts.some(early); i++) {
    texts.push((await caption.textContent()) ?? '')
    await page.keyboard.press('ArrowLeft')
  }
  expect(new Set(texts).size).toBeGreaterThan(1)
  expect(texts.some(early)).toBe(true)
  await page.getByTestId('lang-en').click()
  await expect(caption).not.toContainText(/recebido|sem conexão|o cliente/)
})

test('projector mode at 1920×1080: body text at least 24 px, high contrast, directions told apart without colour', async ({
  page
}) => {
  await page.setViewportSize({ width: 1920, height: 1080 })
  await echo(page)
  await page
    .locator('[data-testid=seq-arrow][data-protocol=tcp][data-dir=c2s][data-modeled=false]')
    .first()
    .click()
  await blur(page)
  await page.keyboard.press('p')
  await expect(page.locator('html')).toHaveClass(/\bprojector\b/)

  const sizes = await page.evaluate(() => {
    const pick = (sel: string): number[] =>
      Array.from(document.querySelectorAll(sel)).map((e) => parseFloat(getComputedStyle(e).fontSize))
    return {
      body: pick('.app'),
      caption: pick('[data-testid=caption]'),
      summary: pick('.lesson-summary'),
      goal: pick('.goal'),
      params: pick('.param-label'),
      packets: pick('[data-testid=packet-row]'),
      fields: pick('[data-testid=field]'),
      legend: pick('[data-testid=seq-legend]'),
      actors: pick('[data-testid=seq-actor-addr]'),
      buttons: pick('.lesson .btn'),
      playback: pick('[data-testid=pb-step], [data-testid=pb-time]')
    }
  })
  for (const [what, list] of Object.entries(sizes)) {
    expect(list.length, what).toBeGreaterThan(0)
    for (const px of list) expect(px, what).toBeGreaterThanOrEqual(24)
  }
  // High contrast: text on the background is at least 7:1 (WCAG AAA).
  const contrast = await page.evaluate(() => {
    const rgb = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number)
    const lum = (c: number[]): number => {
      const [r, g, b] = c.map((v) => {
        const s = v / 255
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
      })
      return 0.2126 * r + 0.7152 * g + 0.0722 * b
    }
    const fg = lum(rgb(getComputedStyle(document.body).color))
    const bg = lum(rgb(getComputedStyle(document.body).backgroundColor))
    return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05)
  })
  expect(contrast).toBeGreaterThanOrEqual(7)
  // Directions differ by line weight and arrowhead, not only by hue.
  const line = (dir: string) =>
    page
      .locator(`[data-testid=seq-arrow][data-dir=${dir}][data-modeled=false] .arrow-line`)
      .first()
      .evaluate((el) => ({
        width: parseFloat(getComputedStyle(el).strokeWidth),
        head: el.getAttribute('marker-end')
      }))
  const c2s = await line('c2s')
  const s2c = await line('s2c')
  expect(s2c.width).toBeGreaterThan(c2s.width)
  expect(s2c.head).not.toBe(c2s.head)

  const shot = test.info().outputPath('projector-1920x1080.png')
  await page.screenshot({ path: shot })
  await test.info().attach('projector mode, 1920×1080', { path: shot, contentType: 'image/png' })
  const png = readFileSync(shot)
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1920, 1080])
  await page.keyboard.press('p')
})

test('exports: the current view as SVG and PNG, and the session as pcap', async ({ page }) => {
  await echo(page)
  await menu(page)
  await page.getByTestId('pm-view').selectOption('sequence')
  const svgFile = await download(page, () => page.getByTestId('pm-svg').click())
  const svg = readFileSync(svgFile, 'utf8')
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
  expect(svg).not.toContain('foreignObject')
  expect(svg).toContain('Ola, mundo') // the arrows' labels, as text
  expect(svg).toContain('SYN, ACK')
  // It is a well-formed SVG document that a browser draws.
  const drawn = await page.evaluate(async (text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml')
    if (doc.querySelector('parsererror')) return 'parse error'
    const img = new Image()
    img.src = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }))
    await img.decode()
    return `${img.naturalWidth}x${img.naturalHeight}`
  }, svg)
  expect(drawn).toMatch(/^\d+x\d+$/)

  await menu(page)
  const pngFile = await download(page, () => page.getByTestId('pm-png').click())
  const png = readFileSync(pngFile)
  expect(png.subarray(1, 4).toString()).toBe('PNG')
  const [w, h] = drawn.split('x').map(Number)
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([w * 2, h * 2])

  await menu(page)
  const pcap = readFileSync(await download(page, () => page.getByTestId('pm-pcap').click()))
  expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4)
  expect(pcap.length).toBeGreaterThan(24)
})

test('a WebM video of a short lesson at the chosen resolution, with the caption burned in', async ({
  page
}) => {
  await echo(page)
  const total = Number(((await page.getByTestId('pb-step').textContent()) ?? '').split('/')[1])
  await menu(page)
  await expect(page.getByTestId('pm-resolution')).toHaveValue('0') // 1920×1080 by default
  await expect(page.getByTestId('pm-resolution').locator('option:checked')).toHaveText('1920×1080')
  await page.getByTestId('pm-from').fill(String(total - 4))
  await page.getByTestId('pm-to').fill(String(total))
  await page.getByTestId('pm-speed').selectOption('2')
  // While recording, the app is laid out in the 16:9 recording frame, without cursor: note the
  // layout the moment the frame goes on.
  await page.evaluate(() => {
    const w = window as unknown as { frameSeen?: unknown[] }
    new MutationObserver(() => {
      const el = document.querySelector('.app')
      if (
        !w.frameSeen &&
        document.documentElement.classList.contains('rec-frame') &&
        el instanceof HTMLElement
      )
        w.frameSeen = [el.offsetWidth, el.offsetHeight, getComputedStyle(el).cursor]
    }).observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] })
  })
  const file = await download(page, () => page.getByTestId('pm-record').click())
  expect(await page.evaluate(() => (window as unknown as { frameSeen?: unknown[] }).frameSeen)).toEqual([
    1920,
    1080,
    'none'
  ])
  await expect(page.locator('html')).not.toHaveClass(/\brec-frame\b/)
  expect(file).toMatch(/tcp-udp-echo-1920x1080-.*\.webm$/)
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-count_frames',
    '-show_entries',
    'stream=codec_name,width,height,nb_read_frames:format=duration',
    '-of',
    'json',
    file
  ])
  const info = JSON.parse(stdout) as {
    streams: { codec_name: string; width: number; height: number; nb_read_frames: string }[]
    format: { duration: string }
  }
  expect(info.streams[0].codec_name).toMatch(/vp8|vp9/)
  expect([info.streams[0].width, info.streams[0].height]).toEqual([1920, 1080])
  expect(Number(info.format.duration)).toBeGreaterThan(1)
  expect(Number(info.streams[0].nb_read_frames)).toBeGreaterThan(1)
  // Every frame drawn while recording is in the file (the status line says how many were drawn).
  const notice = (await page.getByTestId('presenter-notice').textContent()) ?? ''
  const drawn = Number(/\((\d+) frames/.exec(notice)?.[1])
  test
    .info()
    .annotations.push({ type: 'video', description: `${notice}; ffprobe: ${info.format.duration} s` })
  expect(Number(info.streams[0].nb_read_frames)).toBe(drawn)
  await test.info().attach('video', { path: file, contentType: 'video/webm' })
})
