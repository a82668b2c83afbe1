/// <reference lib="dom" />
// Sessions: save the live session to a .wirelab file, open it again and replay it exactly (the
// same event log, the same rendered steps); a recording made with `wirelab run --out` opens by
// drag and drop; a damaged file is refused with a readable reason.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { expect, test, type Page } from '@playwright/test'
import { openLesson } from './helpers'

const run = promisify(execFile)
const root = path.join(__dirname, '..')

interface SessionFileJson {
  format: string
  version: number
  scene?: string
  events: { seq: number; kind: string }[]
}

// The store's steps (isMark): checkpoint questions and answers are steps too.
const MARK_KINDS = new Set(['pdu', 'conn.open', 'conn.close', 'note', 'checkpoint'])

async function menu(page: Page): Promise<void> {
  if (!(await page.getByTestId('presenter-menu').isVisible()))
    await page.getByTestId('presenter-menu-button').click()
  await expect(page.getByTestId('presenter-menu')).toBeVisible()
}

async function download(page: Page, click: () => Promise<void>): Promise<{ file: string; name: string }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()])
  const file = test.info().outputPath(dl.suggestedFilename())
  await dl.saveAs(file)
  return { file, name: dl.suggestedFilename() }
}

async function blur(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
}

/** What the screen shows at the current step: counter, caption, diagram rows and packet rows. */
async function rendered(page: Page): Promise<string> {
  return page.evaluate(() => {
    const text = (sel: string): string => document.querySelector(sel)?.textContent?.trim() ?? ''
    const arrows = Array.from(document.querySelectorAll('[data-testid=seq-arrow]')).map(
      (a) => `${a.getAttribute('data-seq')}:${a.getAttribute('data-dir')}:${a.getAttribute('data-label')}`
    )
    const conns = Array.from(document.querySelectorAll('[data-testid=seq-conn],[data-testid=seq-close]')).map(
      (c) => c.textContent?.trim()
    )
    const actors = Array.from(document.querySelectorAll('[data-testid=seq-actor]')).map((a) =>
      a.getAttribute('data-actor')
    )
    return JSON.stringify({
      step: text('[data-testid=pb-step]'),
      caption: text('[data-testid=caption]'),
      arrows,
      conns,
      actors
    })
  })
}

/** Steps back `k` steps from the end, then records what each step forward shows. */
async function stepsFromEnd(page: Page, k: number): Promise<string[]> {
  await blur(page)
  await page.keyboard.press('End')
  await page.keyboard.press('Space') // pause
  for (let i = 0; i < k; i++) await page.keyboard.press('ArrowLeft')
  const out: string[] = [await rendered(page)]
  for (let i = 0; i < k; i++) {
    await page.keyboard.press(i % 2 ? 'ArrowRight' : 'PageDown')
    out.push(await rendered(page))
  }
  return out
}

test('save → open → replay: the same event log and the same rendered steps', async ({ page }) => {
  await openLesson(page, 'tcp-udp-echo')
  // This run's log only: the tests before this one leave thousands of events in the shared engine.
  await page.getByTestId('session-clear').click()
  await expect(page.getByTestId('pb-step')).toHaveText(/^0\/0$/)
  await page.getByTestId('action-send-both').click()
  await expect(page.locator('[data-testid=seq-arrow][data-protocol=udp]')).toHaveCount(2)
  await expect(page.getByTestId('action-send-both')).toBeEnabled()
  await expect(page.getByTestId('caption')).toContainText(/UDP echo received|Eco UDP recebido/)
  await expect(page.getByTestId('pb-state')).toHaveAttribute('data-state', 'live')

  await menu(page)
  const saved = await download(page, () => page.getByTestId('pm-save').click())
  expect(saved.name).toMatch(/^tcp-udp-echo-.*\.wirelab$/)
  const file = JSON.parse(readFileSync(saved.file, 'utf8')) as SessionFileJson
  expect(file.format).toBe('wirelab-session')
  expect(file.scene).toBe('tcp-udp-echo')
  const marks = file.events.filter((e) => MARK_KINDS.has(e.kind)).length
  // The steps of this run: from its `scene started` event to the end.
  let runStart = 0
  file.events.forEach((e, i) => {
    if (e.kind === 'scene' && (e as unknown as { state: string }).state === 'started') runStart = i
  })
  const k = file.events.slice(runStart).filter((e) => MARK_KINDS.has(e.kind)).length
  expect(k).toBeGreaterThan(8)
  await page.keyboard.press('Escape')
  const live = await stepsFromEnd(page, k)
  expect(new Set(live).size).toBe(live.length) // every step shows something new

  // Open the saved file through the menu's file picker.
  await menu(page)
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('pm-open').click()])
  await chooser.setFiles(saved.file)
  await expect(page.getByTestId('replay-badge')).toContainText(saved.name)
  // Paused at the start, the whole log held.
  await expect(page.getByTestId('pb-state')).toHaveAttribute('data-state', 'paused')
  await expect(page.getByTestId('pb-step')).toHaveText(`0/${marks}`)
  await expect(page.getByTestId('lesson-title')).toContainText(/echo|eco/i)

  // The replayed log is the saved one, event for event.
  await menu(page)
  const again = await download(page, () => page.getByTestId('pm-save').click())
  const replayed = JSON.parse(readFileSync(again.file, 'utf8')) as SessionFileJson
  expect(replayed.events).toEqual(file.events)
  expect(replayed.scene).toBe(file.scene)
  // The pcap of the replayed session is the one `wirelab export` writes for the same file.
  await menu(page)
  const pcap = await download(page, () => page.getByTestId('pm-pcap').click())
  const cliPcap = test.info().outputPath('cli.pcap')
  await run(
    process.execPath,
    [path.join(root, 'bin', 'wirelab.js'), 'export', saved.file, '--pcap', cliPcap],
    {
      cwd: root,
      timeout: 60_000
    }
  )
  expect(readFileSync(pcap.file).equals(readFileSync(cliPcap))).toBe(true)
  await page.keyboard.press('Escape')

  // Stepping through the replay shows exactly what stepping through the live session showed.
  const replay = await stepsFromEnd(page, k)
  expect(replay).toEqual(live)

  // Home goes back to the start of the replay; playing runs through it at teaching pace.
  await blur(page)
  await page.keyboard.press('Home')
  await expect(page.getByTestId('pb-step')).toHaveText(`0/${marks}`)

  // Back to live: the engine's log again.
  await page.getByTestId('back-to-live').click()
  await expect(page.getByTestId('replay-badge')).toHaveCount(0)
  await expect(page.getByTestId('pb-step')).toHaveText(new RegExp(`^${marks}/${marks}$`))
})

test('a recording made with `wirelab run --out` opens by drag and drop and replays its narration', async ({
  page
}) => {
  const out = test.info().outputPath('cli-echo.wirelab')
  await run(
    process.execPath,
    [
      path.join(root, 'bin', 'wirelab.js'),
      'run',
      'tcp-udp-echo',
      '--ephemeral',
      '--set',
      'message=Ola, CLI',
      '--out',
      out
    ],
    { cwd: root, timeout: 60_000 }
  )
  const text = readFileSync(out, 'utf8')
  const file = JSON.parse(text) as SessionFileJson
  const notes = (file.events as unknown as { kind: string; text?: { en: string; pt: string } }[]).filter(
    (e) => e.kind === 'note'
  )
  expect(notes.length).toBeGreaterThan(1)
  const marks = file.events.filter((e) => MARK_KINDS.has(e.kind)).length

  await page.goto('/')
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open')
  await page.getByTestId('lang-en').click()
  // Drop the file on the window, as a person would from a file manager.
  await page.evaluate(
    ({ text }) => {
      const dt = new DataTransfer()
      dt.items.add(new File([text], 'cli-echo.wirelab', { type: 'application/json' }))
      window.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, cancelable: true }))
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, cancelable: true }))
    },
    { text }
  )
  await expect(page.getByTestId('replay-badge')).toContainText('cli-echo.wirelab')
  await expect(page.getByTestId('pb-step')).toHaveText(`0/${marks}`)
  await expect(page.getByTestId('lesson-title')).toContainText(/echo|eco/i)
  await expect(page.locator('[data-testid=seq-arrow]')).toHaveCount(0)

  // Clicker forward through the whole recording: every note appears in the caption, in order.
  await blur(page)
  const seen: string[] = []
  for (let i = 0; i < marks; i++) {
    await page.keyboard.press('PageDown')
    const c = (await page.getByTestId('caption').textContent())?.trim() ?? ''
    if (c && seen[seen.length - 1] !== c) seen.push(c)
  }
  await expect(page.getByTestId('pb-step')).toHaveText(`${marks}/${marks}`)
  expect(seen).toEqual(notes.map((n) => n.text?.en))
  const payload = page.locator('[data-testid=seq-arrow][data-label=\'"Ola, CLI"\']')
  await expect(payload.and(page.locator('[data-protocol=tcp]'))).toHaveCount(2)
  await expect(payload.and(page.locator('[data-protocol=udp]'))).toHaveCount(2)

  await page.getByTestId('back-to-live').click()
  await expect(page.getByTestId('replay-badge')).toHaveCount(0)
})

test('a damaged session file is refused with a reason, and the live session stays', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open')
  await page.getByTestId('lang-en').click()
  await expect(page.getByTestId('pb-step')).not.toHaveText('0/0')
  await blur(page)
  await page.keyboard.press('End')
  await expect(page.getByTestId('pb-step')).toHaveText(/^(\d+)\/\1$/)
  const before = await page.getByTestId('pb-step').textContent()
  await page.evaluate(() => {
    const dt = new DataTransfer()
    dt.items.add(
      new File(
        ['{"format":"wirelab-session","version":1,"events":[{"kind":"bytes","seq":1,"t":1,"data":"%%%"}]}'],
        'bad.wirelab'
      )
    )
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, cancelable: true }))
  })
  await expect(page.getByTestId('session-open-error')).toContainText(/not valid base64/)
  await expect(page.getByTestId('replay-badge')).toHaveCount(0)
  await expect(page.getByTestId('pb-step')).toHaveText(before ?? '')
})
