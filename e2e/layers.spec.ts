// Layers and ports end to end in browser mode: the "Ports and layers" lesson (two browsers told
// apart only by their ports, a message unwrapped layer by layer, the port ruler with IANA's
// registrations), and the layers view opened from the byte inspector on a message of other lessons.
import { mkdirSync } from 'node:fs'
import { expect, test, type Locator, type Page } from '@playwright/test'
import { openLesson } from './helpers'

test.use({ viewport: { width: 1920, height: 1080 } })

async function act(page: Page, action: string): Promise<void> {
  await page.getByTestId(`action-${action}`).click()
  await expect(page.getByTestId(`action-${action}`)).toBeEnabled({ timeout: 60_000 })
  await expect(page.getByTestId('action-error')).toHaveCount(0)
  await page.getByTestId('pb-live').click()
}

/** Every header field of the panel has a byte range inside the frame; reconstructed ones say modeled. */
async function checkRanges(panel: Locator): Promise<void> {
  const fields = await panel.getByTestId('layer-field').evaluateAll((els) =>
    els.map((e) => ({ id: e.getAttribute('data-field-id'), start: Number(e.getAttribute('data-start')), end: Number(e.getAttribute('data-end')), modeled: e.getAttribute('data-modeled') }))
  )
  expect(fields.length).toBeGreaterThan(20)
  for (const f of fields) expect(f.end, `${f.id} ${f.start}–${f.end}`).toBeGreaterThan(f.start)
  const source = await panel.getAttribute('data-source')
  const headers = fields.filter((f) => /^(eth|ip|tcp|udp)\b/.test(f.id ?? '') && !/^tcp\.payload/.test(f.id ?? ''))
  expect(headers.length).toBeGreaterThan(10)
  if (source === 'reconstructed') expect(headers.every((f) => f.modeled === 'true')).toBe(true)
}

test('ports-layers: two browsers told apart by their ports; the message unwrapped; the port ruler', async ({ page }) => {
  await openLesson(page, 'ports-layers', 'http', { lang: 'en', theme: 'dark' })
  await act(page, 'browsers')
  // The ruler: the server, both browsers' ephemeral ports, this OS's ephemeral range, IANA's names.
  const ruler = page.getByTestId('view-ports')
  await expect(ruler.locator('[data-testid=ruler-port][data-role=client]')).toHaveCount(2)
  await expect(ruler.locator('[data-testid=ruler-port][data-role=server]')).toHaveCount(2)
  await expect(ruler.locator('[data-testid=port-row][data-port="9083"]')).toHaveAttribute('data-iana', 'emc-pp-mgmtsvc')
  await expect(ruler.locator('[data-testid=port-row][data-port="50051"]')).toHaveAttribute('data-iana', '')
  await expect(ruler.getByTestId('ephemeral-range')).toHaveAttribute('data-from', /^\d+$/)
  const clientPorts = await ruler.locator('[data-testid=ruler-port][data-role=client]').evaluateAll((els) => els.map((e) => e.getAttribute('data-port')))
  expect(new Set(clientPorts).size).toBe(2)
  // The layers view: the reply to Browser 2 unwrapped.
  const view = page.getByTestId('view-layers')
  await view.locator('[data-testid=layers-pick]').last().click()
  const panel = view.getByTestId('layers-panel')
  await expect(panel).toHaveAttribute('data-source', /reconstructed|captured/)
  await expect(panel.getByTestId('layer-box')).toHaveCount(4)
  await expect(panel.locator('[data-testid=layer-box][data-layer=app]')).toBeVisible()
  await checkRanges(panel)
  // A header field lights its bytes in the frame.
  await panel.locator('[data-testid=layer-field][data-field-id="ip.ttl"]').first().click()
  await expect(panel.getByTestId('layers-status')).toContainText('Time to live')
  await expect(panel.locator('[data-testid=layer-byte][data-selected=true]')).toHaveCount(1)
  // The destination port of the reply is the browser's own port.
  const dst = await panel.locator('[data-testid=layer-field][data-field-id="tcp.dstport"]').first().locator('.ly-field-value').textContent()
  expect(clientPorts).toContain(dst?.trim())
  // An application field is the byte inspector's field.
  await panel.locator('[data-testid=layer-field][data-field-id^="http."]').first().click()
  await expect(page.getByTestId('field-status')).toContainText('http.')
  await shot(page, 'ports-layers')
  // The same segment on a 1,500-byte Ethernet: the cards' MAC addresses, MSS 1,460.
  await panel.getByTestId('layers-link-ethernet').click()
  await expect(panel).toHaveAttribute('data-link', 'ethernet')
  await expect(panel.locator('[data-testid=layer-field][data-field-id="eth.src"]').first().locator('.ly-field-value')).toHaveText(/^02:00:00:00:00:0[12]$/)
  await expect(page.getByTestId('caption')).toBeVisible()
})

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync('resources/screenshots', { recursive: true })
  await page.screenshot({ path: `resources/screenshots/${name}.png` })
}

const OTHER_LESSONS: { scene: string; port: string; action: string }[] = [
  { scene: 'tcp-udp-echo', port: 'tcp', action: 'send-both' },
  { scene: 'rest', port: 'http', action: 'tour' },
  { scene: 'mqtt', port: 'mqtt', action: 'demo' },
  { scene: 'websocket', port: 'websocket', action: 'chat' },
  { scene: 'thrift', port: 'thrift', action: 'calls' }
]

for (const l of OTHER_LESSONS) {
  test(`layers from the byte inspector: a message of the ${l.scene} lesson`, async ({ page }) => {
    await openLesson(page, l.scene, l.port, { lang: 'en', theme: 'dark' })
    await page.getByTestId(`action-${l.action}`).click()
    await page.getByTestId('pb-live').click()
    // The first message the application sent: in the packet list, or the diagram.
    const row = page.locator('[data-testid=packet-row]:not(.modeled)')
    const arrow = page.locator('[data-testid=seq-arrow][data-modeled=false]')
    await expect(row.or(arrow).first()).toBeVisible({ timeout: 30_000 })
    await row.or(arrow).first().click()
    await page.getByTestId('open-layers').click()
    const drawer = page.getByTestId('layers-drawer')
    const panel = drawer.getByTestId('layers-panel')
    await expect(panel).toBeVisible()
    await expect(drawer.getByTestId('layers-source')).toContainText(/reconstructed|Captured/)
    await expect(panel.getByTestId('layer-box').first()).toHaveAttribute('data-layer', 'link')
    await checkRanges(panel)
    await page.keyboard.press('Escape')
    await expect(drawer).toHaveCount(0)
  })
}
