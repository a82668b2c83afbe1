// The RabbitMQ and ZeroMQ lessons end to end in browser mode: the real RabbitMQ installed on this
// machine (started by the host) and its recorded session, real libzmq sockets; the topology and
// patterns views show what the frames did. Each saves a 1920×1080 screenshot (and a projector one).
import { mkdirSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'

test.use({ viewport: { width: 1920, height: 1080 } })

async function open(page: Page, scene: string, port: string, startMs = 20_000): Promise<void> {
  await page.addInitScript(() => localStorage.setItem('wirelab.settings', JSON.stringify({ lang: 'en', theme: 'dark' })))
  await page.goto('/')
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open')
  await expect(page.getByTestId('lesson-picker').locator(`option[value="${scene}"]`)).toBeAttached()
  await page.getByTestId('lesson-picker').selectOption(scene)
  await expect(page.getByTestId('lesson-state')).toHaveText(/running|em execução/i, { timeout: startMs })
  if (port) await expect(page.getByTestId(`port-${port}`)).toHaveAttribute('data-port', /^\d+$/, { timeout: startMs })
  await page.getByTestId('pb-speed').selectOption('4')
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync('resources/screenshots', { recursive: true })
  await page.screenshot({ path: `resources/screenshots/${name}.png` })
}

test('RabbitMQ: one message through direct, fanout and topic exchanges, on the real broker, then from the recording', async ({ page }) => {
  test.setTimeout(240_000)
  await open(page, 'rabbitmq', 'amqp', 120_000)
  await page.getByTestId('action-route-three-ways').click()
  await expect(page.getByTestId('action-route-three-ways')).toBeEnabled({ timeout: 60_000 })
  await page.getByTestId('pb-live').click()
  const view = page.getByTestId('view-topology')
  await expect(view.getByTestId('topology-exchange')).toHaveCount(3)
  await expect(view.getByTestId('topology-queue')).toHaveCount(3)
  await expect(view.getByTestId('topology-consumer')).toHaveCount(3)
  await expect(view.getByTestId('topology-binding')).toHaveCount(9)
  // The last publish went to the topic exchange: two bindings take it, alarme.# does not, and says why.
  await expect(view.locator('[data-testid=topology-binding][data-state=match]')).toHaveCount(2)
  await expect(view.locator('[data-testid=topology-binding][data-state=miss]')).toHaveAttribute('data-key', 'alarme.#')
  const explain = view.getByTestId('topology-explain')
  await expect(explain).toHaveAttribute('data-exchange', 'sensores.topic')
  await expect(explain.locator('[data-match=false]')).toContainText('Word 1 differs: "alarme" ≠ "sala".')
  // Everything delivered was acked: queues empty, nothing unacked.
  for (const q of await view.getByTestId('topology-queue').all()) {
    await expect(q).toHaveAttribute('data-ready', '0')
    await expect(q).toHaveAttribute('data-unacked', '0')
  }
  await expect(page.locator('[data-testid=seq-arrow]').first()).toBeVisible()
  await shot(page, 'rabbitmq')
  await page.keyboard.press('p')
  await shot(page, 'rabbitmq-projector')
  await page.keyboard.press('p')

  // The same lesson from the session recorded from a real RabbitMQ (what a machine without one gets):
  // labelled, and its moments replay the real frames. (One live start per file: RabbitMQ takes seconds.)
  await page.getByTestId('param-broker').selectOption('recorded')
  await page.getByRole('button', { name: /^Restart$|^Reiniciar$/ }).click()
  await expect(page.getByTestId('rabbitmq-recorded')).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('caption')).toContainText(/recorded from a real RabbitMQ 3\.\d+\.\d+/)
  await page.getByTestId('action-work-queue').click()
  await expect(page.getByTestId('action-work-queue')).toBeEnabled({ timeout: 60_000 })
  await page.getByTestId('pb-live').click()
  await expect(view.locator('[data-testid=topology-queue][data-name=tarefas]')).toBeVisible()
  await expect(view.getByTestId('topology-consumer')).toHaveCount(2)
  await expect(view.locator('[data-testid=topology-consumer][data-prefetch="1"]')).toHaveCount(2)
})

test('ZeroMQ: PUB/SUB with no broker next to MQTT’s, the slow joiner, PUSH/PULL and REQ/REP lockstep', async ({ page }) => {
  test.setTimeout(120_000)
  await open(page, 'zeromq', 'zmq-pub')
  const run = async (id: string): Promise<void> => {
    await page.getByTestId(`action-${id}`).click()
    await expect(page.getByTestId(`action-${id}`)).toBeEnabled({ timeout: 30_000 })
    await page.getByTestId('pb-live').click()
  }
  const view = page.getByTestId('view-patterns')
  await run('pub-sub')
  await expect(view).toHaveAttribute('data-pattern', 'pubsub')
  await expect(view.getByTestId('patterns-sub')).toHaveCount(3)
  const temp = view.locator('[data-testid=patterns-sub][data-name="Painel temp"]')
  await expect(temp).toHaveAttribute('data-received', '1')
  await expect(temp).toHaveAttribute('data-filtered', '2')
  await expect(view.locator('[data-testid=patterns-sub][data-name="Monitor (tudo)"]')).toHaveAttribute('data-received', '3')
  await run('compare-mqtt')
  await expect(view.getByTestId('patterns-mqtt')).toBeVisible()
  await expect(view.getByTestId('patterns-mqtt-sub')).toHaveCount(3)
  await expect(view.locator('[data-testid=patterns-mqtt-sub][data-name="Monitor (MQTT, #)"]')).toHaveAttribute('data-received', '3')
  await expect(view.locator('[data-testid=patterns-mqtt-sub][data-name="Painel temp (MQTT)"]')).toHaveAttribute('data-received', '1')
  await shot(page, 'zeromq')
  await page.keyboard.press('p')
  await shot(page, 'zeromq-projector')
  await page.keyboard.press('p')
  await run('slow-joiner')
  const late = view.locator('[data-testid=patterns-sub][data-name="Atrasado"]')
  await expect(late).toBeVisible()
  // Every tick is accounted for: received, or lost before its SUBSCRIBE reached the publisher.
  await expect.poll(async () => Number(await late.getAttribute('data-received')) + Number(await late.getAttribute('data-lost'))).toBe(30)
  await run('push-pull')
  await expect(view).toHaveAttribute('data-pattern', 'pushpull')
  await expect(view.locator('[data-testid=patterns-worker][data-jobs="3"]')).toHaveCount(3)
  await run('req-rep')
  await expect(view).toHaveAttribute('data-pattern', 'reqrep')
  await expect(view.getByTestId('patterns-ladder').locator('li')).toHaveCount(4)
  await expect(view.getByTestId('patterns-refused')).toBeVisible()
})
