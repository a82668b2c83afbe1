// The MQTT lesson end to end in browser mode: a real broker in the host, real mqtt.js clients the
// person adds from the panel, and the fan-out view lighting exactly the matching subscribers.
import { mkdirSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { expect, test, type Page } from '@playwright/test'
import { restartLesson } from './helpers'

const TOPIC = 'home/livingroom/temperature'

/** The page's globals the load test uses (this file compiles without the DOM library). */
interface Frames {
  gaps: number[]
  /** Frames in which a list following the newest row had rows, none of them in sight. */
  blank: string[]
  /** Frames in which such a list was checked. */
  looked: number
  /** Frames in which a dot was on its way: its move (a transform animation) running, under way. */
  moved: number
  requestAnimationFrame(cb: () => void): number
}

async function openMqtt(page: Page): Promise<void> {
  await page.goto('/')
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open')
  await expect(page.getByTestId('lesson-picker').locator('option[value="mqtt"]')).toBeAttached()
  await page.getByTestId('lesson-picker').selectOption('mqtt')
  await expect(page.getByTestId('lesson-state')).toHaveText(/running|em execução/i)
  await expect(page.getByTestId('port-mqtt')).toHaveAttribute('data-port', /^\d+$/)
  // A fresh broker and the lesson's own clients only: another spec may have left this lesson
  // running with its clients and messages (the checkpoint spec runs the same demo).
  await restartLesson(page, 'mqtt')
  await page.getByTestId('pb-speed').selectOption('4')
}

async function addSubscriber(page: Page, name: string, filter: string, qos: string): Promise<void> {
  await page.getByTestId('mqtt-sub-name').fill(name)
  await page.getByTestId('mqtt-sub-filter').fill(filter)
  await page.getByTestId('mqtt-sub-qos').selectOption(qos)
  await page.getByTestId('mqtt-add-sub').click()
  await expect(page.getByTestId(`mqtt-remove-${name}`)).toBeVisible()
}

test('1 publisher, 4 subscribers: a PUBLISH lights exactly the matching subscribers', async ({ page }) => {
  await openMqtt(page)
  const subscribers: [string, string, string, boolean][] = [
    ['Living room', 'home/livingroom/#', '2', true],
    ['Temperatures', 'home/+/temperature', '1', true],
    ['Kitchen', 'home/kitchen/#', '1', false],
    ['One level', 'home/+', '0', false]
  ]
  await page.getByTestId('mqtt-pub-name').fill('Sensor A')
  await page.getByTestId('mqtt-add-pub').click()
  await expect(page.getByTestId('mqtt-remove-Sensor A')).toBeVisible()
  for (const [name, filter, qos] of subscribers) await addSubscriber(page, name, filter, qos)

  await page.getByTestId('mqtt-topic').fill(TOPIC)
  await page.getByTestId('mqtt-payload').fill('22.5')
  await page.getByTestId('mqtt-qos').selectOption('2')
  await page.getByTestId('mqtt-publish').click()
  await page.getByTestId('pb-live').click()

  const view = page.getByTestId('view-fanout')
  await expect(view.getByTestId('fanout-current')).toHaveAttribute('data-topic', TOPIC)
  const subs = view.getByTestId('fanout-sub')
  await expect(subs).toHaveCount(4)
  await expect(view.locator('[data-testid=fanout-sub][data-lit=true]')).toHaveCount(2)
  for (const [name, , , lit] of subscribers) await expect(view.locator(`[data-testid=fanout-sub][data-name="${name}"]`)).toHaveAttribute('data-lit', String(lit))
  await expect(view.locator('[data-testid=fanout-pub][data-name="Sensor A"]')).toBeVisible()
  await expect(view.getByTestId('fanout-in')).toHaveText('1')
  await expect(view.getByTestId('fanout-out')).toHaveText('2')
  // QoS per leg: the QoS 2 exchange with the publisher, and the downgrade to the QoS 1 subscription.
  await expect(view.getByTestId('fanout-publeg')).toHaveText('PUBLISH q2 · PUBREC · PUBREL · PUBCOMP')
  await expect(view.locator('[data-testid=fanout-leg][data-node="sub:temperatures"]')).toContainText('PUBLISH q1 · PUBACK')
  await expect(view.locator('[data-testid=fanout-leg][data-node="sub:temperatures"] [data-testid=fanout-downgrade]')).toHaveText('QoS 2→1')
  await expect(view.locator('[data-testid=fanout-leg][data-node="sub:living-room"]')).toContainText('PUBLISH q2 · PUBREC · PUBREL · PUBCOMP')

  // Hovering a subscriber explains its filter against the topic.
  await view.locator('[data-testid=fanout-sub][data-name="One level"]').hover()
  const filter = view.locator('[data-testid=fanout-explain] .fo-explain-filter', { hasText: 'home/+' })
  await expect(filter.locator('svg[data-match=false]')).toHaveAccessibleName(/does not match|não corresponde/)
  await expect(view.getByTestId('fanout-explain')).toContainText(/3 levels; the filter only 2|3 níveis; o filtro só 2/)
  await view.locator('[data-testid=fanout-sub][data-name="Temperatures"]').hover()
  await expect(view.getByTestId('fanout-explain')).toContainText('+ matches exactly one level: "livingroom"')

  // The topic tree: the value and its count.
  await expect(page.locator(`[data-testid=topic][data-topic="${TOPIC}"]`)).toHaveAttribute('data-last', '22.5')
  await expect(page.locator(`[data-testid=topic][data-topic="${TOPIC}"]`)).toHaveAttribute('data-count', '1')

  // Removing a subscriber takes it off the picture.
  await page.getByTestId('mqtt-remove-Kitchen').click()
  await expect(view.locator('[data-testid=fanout-sub][data-name="Kitchen"]')).toHaveCount(0)
})

test('screenshot: the seed’s fan-out at projector scale', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 })
  await openMqtt(page)
  await page.getByTestId('action-demo').click()
  await expect(page.getByTestId('action-demo')).toBeEnabled()
  await page.getByTestId('pb-live').click()
  const view = page.getByTestId('view-fanout')
  await expect(view.locator('[data-testid=fanout-sub][data-lit=true]')).toHaveCount(3)
  await expect(view.locator('[data-testid=fanout-sub][data-name="Kitchen"]')).toHaveAttribute('data-lit', 'false')
  await view.locator('[data-testid=fanout-sub][data-name="Kitchen"]').hover()
  await expect(view.getByTestId('fanout-explain')).toBeVisible()
  // The side panel is narrower than the diagram's six lanes: each keeps a width that shows its
  // actor's name, and the diagram scrolls sideways to bring the newest message into view.
  const seq = page.getByTestId('view-sequence')
  const scroller = seq.locator('.seq-scroll')
  await expect(scroller).toHaveAttribute('data-wide', 'true')
  await expect(seq.getByTestId('seq-actor')).toHaveCount(6)
  for (const head of await seq.getByTestId('seq-actor').all()) expect((await head.boundingBox())?.width).toBeGreaterThan(70)
  const newest = seq.getByTestId('seq-arrow').last().locator('line.arrow-line').first()
  await expect
    .poll(async () => {
      const [b, line] = [await scroller.boundingBox(), await newest.boundingBox()]
      return !!b && !!line && line.x >= b.x && line.x + line.width <= b.x + b.width
    })
    .toBe(true)
  mkdirSync('resources/screenshots', { recursive: true })
  await page.screenshot({ path: 'resources/screenshots/mqtt.png' })
})

test('under load (1,000 messages at 1,000/s to 20 subscribers): counts everything, keeps drawing', async ({ page }) => {
  await openMqtt(page)
  // Frame gaps while the burst plays, printed for the record (performance is not asserted here).
  // Each frame also looks at what a person sees: the packet list and the diagram, which follow the
  // newest row, show rows (never an empty box while the scroll catches up), and a dot still flies.
  await page.evaluate(() => {
    const w = globalThis as unknown as Frames
    w.gaps = []
    w.blank = []
    w.looked = 0
    w.moved = 0
    let last = performance.now()
    const lists = [
      ['[data-testid=view-packets] .pkt-body', '[data-testid=packet-row]'],
      ['[data-testid=view-sequence] .seq-scroll', '[data-testid=seq-arrow]']
    ]
    const tick = (): void => {
      const now = performance.now()
      w.gaps.push(now - last)
      last = now
      for (const [box, row] of lists) {
        const el = document.querySelector(box)
        const rows = el ? [...el.querySelectorAll(row)] : []
        if (!el || !rows.length || el.clientHeight < 60) continue
        w.looked++
        const b = el.getBoundingClientRect()
        if (!rows.some((r) => r.getBoundingClientRect().bottom > b.top && r.getBoundingClientRect().top < b.bottom)) w.blank.push(`${box} at ${Math.round(now)} ms`)
      }
      // A flight is a fraction of a second and a loaded frame can be as long: the same dot is not
      // always seen twice, so its animation says whether it is moving.
      const d = document.querySelector('[data-testid=fanout-dot]')
      if (d?.getAnimations().some((a) => a.playState === 'running' && Number(a.currentTime ?? 0) > 0)) w.moved++
      w.requestAnimationFrame(tick)
    }
    w.requestAnimationFrame(tick)
  })
  await page.getByTestId('action-burst').click()
  await expect(page.getByTestId('action-burst')).toBeEnabled({ timeout: 60_000 })
  const during = await page.evaluate(() => (globalThis as unknown as Frames).gaps.splice(0))
  const seen = await page.evaluate(() => {
    const w = globalThis as unknown as Frames
    return { blank: w.blank.splice(0), looked: w.looked, moved: w.moved }
  })
  expect(seen.looked).toBeGreaterThan(20)
  expect(seen.blank).toEqual([])
  expect(seen.moved).toBeGreaterThan(0)
  await page.getByTestId('pb-live').click()
  const view = page.getByTestId('view-fanout')
  await expect(view.getByTestId('fanout-in')).toHaveText('1000', { timeout: 30_000 })
  await expect(view.getByTestId('fanout-sub')).toHaveCount(20)
  // Every delivery in the log is counted: 10 subscribers take load/#, 10 take one of load/<k>/+.
  await expect(view.getByTestId('fanout-out')).toHaveText('12500')
  await expect(page.locator('[data-testid=topic][data-topic="load/0/value"]')).toHaveAttribute('data-count', '250')
  // Still responsive: hovering explains at once.
  await view.locator('[data-testid=fanout-sub][data-name="Sub 2"]').hover()
  await expect(view.getByTestId('fanout-explain')).toBeVisible()
  const after = await page.evaluate(() => (globalThis as unknown as Frames).gaps)
  for (const [name, gaps] of [['while the engine publishes', during], ['catching up and after', after]] as const) {
    const sorted = [...gaps].sort((a, b) => a - b)
    console.log(`[mqtt load] ${name}: frames ${gaps.length}, median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms, p95 ${sorted[Math.floor(sorted.length * 0.95)]?.toFixed(1)} ms, max ${sorted[sorted.length - 1]?.toFixed(1)} ms`)
  }
})

test('your own mosquitto_sub and mosquitto_pub appear by client id, and the fan-out reaches them', async ({ page }) => {
  await openMqtt(page)
  const port = String(await page.getByTestId('port-mqtt').getAttribute('data-port'))
  const sub = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', port, '-t', 'home/+/temperature', '-q', '1', '-C', '1', '-i', 'aluno-sub'])
  const subDone = once(sub, 'close')
  try {
    await page.getByTestId('pb-live').click()
    const view = page.getByTestId('view-fanout')
    const mine = view.locator('[data-testid=fanout-sub][data-name^="aluno-sub (127.0.0.1:"]')
    await expect(mine).toBeVisible()
    await expect(mine).toContainText('home/+/temperature (QoS 1)')
    const pub = spawn('mosquitto_pub', ['-h', '127.0.0.1', '-p', port, '-t', TOPIC, '-m', '19.5', '-q', '1', '-i', 'aluno-pub'])
    await once(pub, 'close')
    await subDone
    await page.getByTestId('pb-live').click()
    await expect(view.getByTestId('fanout-current')).toHaveAttribute('data-topic', TOPIC)
    await expect(view.locator('[data-testid=fanout-pub][data-name^="aluno-pub (127.0.0.1:"]')).toBeVisible()
    await expect(mine).toHaveAttribute('data-lit', 'true')
  } finally {
    sub.kill()
  }
})
