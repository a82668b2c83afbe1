// The handshake lessons end to end in browser mode: TCP set-up and teardown, TLS on the wire vs
// decrypted, the WebSocket Upgrade and frames, and Server-Sent Events with a cut and a resume.
// Each test also saves a 1920×1080 screenshot under resources/screenshots/.
import { mkdirSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import { openLesson } from './helpers'
import { probeCapture } from '../src/main/lab/scenes/tcp-handshake/capture'

test.use({ viewport: { width: 1920, height: 1080 } })

const open = (page: Page, scene: string, port: string): Promise<void> =>
  openLesson(page, scene, port, { lang: 'en', theme: 'dark' })

async function act(page: Page, action: string): Promise<void> {
  await page.getByTestId(`action-${action}`).click()
  await expect(page.getByTestId(`action-${action}`)).toBeEnabled({ timeout: 30_000 })
  await expect(page.getByTestId('action-error')).toHaveCount(0)
}

async function shot(page: Page, name: string, waitFlights = true): Promise<void> {
  await page.getByTestId('pb-live').click()
  await expect(page.getByTestId('pb-state')).toHaveAttribute('data-state', 'live')
  if (waitFlights) await expect(page.locator('circle.flight')).toHaveCount(0)
  mkdirSync('resources/screenshots', { recursive: true })
  await page.screenshot({ path: `resources/screenshots/${name}.png` })
}

test('tcp-handshake: SYN, SYN-ACK, ACK, seq/ack advancing by the payload length, FIN, RST, refused', async ({
  page
}) => {
  await open(page, 'tcp-handshake', 'tcp')
  await act(page, 'client-closes')
  await page.getByTestId('pb-live').click()
  const view = page.getByTestId('view-segments')
  const rows = view.getByTestId('segment-row')
  await expect(rows.first()).toHaveAttribute('data-flags', 'SYN')
  await expect(rows.nth(1)).toHaveAttribute('data-flags', 'SYN, ACK')
  await expect(rows.nth(2)).toHaveAttribute('data-flags', 'ACK')
  await expect(rows.first()).toHaveAttribute('data-modeled', 'true')
  // "Ola, mundo" (10 bytes) at Seq 1; the server acknowledges 11; "Tchau!" starts at 11.
  await expect(
    view.locator('[data-testid=segment-row][data-modeled=false][data-seq="1"][data-len="10"]').first()
  ).toBeVisible()
  await expect(view.locator('[data-testid=segment-row][data-flags=ACK][data-ack="11"]').first()).toBeVisible()
  await expect(
    view.locator('[data-testid=segment-row][data-modeled=false][data-seq="11"][data-len="6"]').first()
  ).toBeVisible()
  await expect(view.locator('[data-testid=segment-row][data-flags="FIN, ACK"]')).toHaveCount(2)
  await act(page, 'reset')
  await act(page, 'refused')
  await page.getByTestId('pb-live').click()
  await expect(view.locator('[data-testid=segment-row][data-flags="RST, ACK"]')).toHaveCount(2)
  await expect(page.getByTestId('caption')).toContainText(/refused|recusada/i)
  await shot(page, 'tcp-handshake')
})

test('tcp-handshake real capture: the kernel segments when dumpcap may capture, else a clear explanation', async ({
  page
}) => {
  await open(page, 'tcp-handshake', 'tcp')
  await page.getByTestId('param-capture').check()
  await page.getByRole('button', { name: /^(Restart|Reiniciar)$/ }).click()
  await expect(page.getByTestId('lesson-state')).toHaveText(/running|em execução/i)
  // The host runs on this machine: the same probe tells whether it may capture on lo.
  const available = (await probeCapture()).ok
  await act(page, 'client-closes')
  await page.getByTestId('pb-live').click()
  const view = page.getByTestId('view-segments')
  if (!available) {
    await expect(view.locator('[data-testid=segment-row][data-modeled=true]').first()).toBeVisible()
    await expect(view.locator('[data-testid=segment-row][data-source=captured]')).toHaveCount(0)
    return
  }
  await page.getByTestId('segments-show-captured').click()
  const rows = view.getByTestId('segment-row')
  await expect(rows.first()).toHaveAttribute('data-flags', 'SYN')
  await expect(rows.first()).toHaveAttribute('data-source', 'captured')
  // The kernel's own numbers: the same relative seq/ack as the model.
  await expect(
    view.locator('[data-testid=segment-row][data-source=captured][data-dir=c2s][data-seq="1"][data-len="10"]')
  ).toHaveCount(1)
  await expect(
    view.locator('[data-testid=segment-row][data-source=captured][data-dir=c2s][data-seq="11"][data-len="6"]')
  ).toHaveCount(1)
  await page.getByTestId('segments-show-both').click()
  // Captured segments arrive a little after the modeled ones; the picture does not wait for flights.
  await shot(page, 'tcp-handshake-capture', false)
})

test('tls: ClientHello in the clear, encrypted records, the same request decrypted with the key log', async ({
  page
}) => {
  await open(page, 'tls', 'https')
  await act(page, 'get')
  await page.getByTestId('pb-live').click()
  const view = page.getByTestId('view-tls')
  await expect(view.getByTestId('tls-sni')).toHaveText('SNI: localhost')
  await expect(view.getByTestId('tls-alpn')).toHaveText('ALPN: h2,http/1.1')
  await expect(view.locator('[data-testid=tls-record][data-encrypted=true]').first()).toBeVisible()
  await expect(view.getByTestId('tls-plain')).toHaveCount(0)
  await view.getByTestId('tls-reveal').click()
  await expect(view.locator('[data-testid=tls-plain][data-kind=http]').first()).toContainText(
    'GET /items/1 HTTP/1.1'
  )
  await expect(view.locator('[data-testid=tls-plain][data-kind=http]').nth(1)).toContainText(
    'HTTP/1.1 200 OK'
  )
  await expect(view.locator('[data-testid=tls-plain][data-kind=http]').nth(1)).toContainText('Olá, TLS!')
  // Every encrypted record was decrypted.
  const enc = await view.locator('[data-testid=tls-record][data-encrypted=true]').count()
  await expect(
    view.locator('[data-testid=tls-record][data-encrypted=true][data-decrypted=true]')
  ).toHaveCount(enc)
  // The SNI chip selects the server name's bytes in the byte inspector.
  await view.getByTestId('tls-sni').click()
  await expect(page.locator('[data-testid=hex-byte][data-selected=true]')).toHaveCount('localhost'.length)
  await view.locator('[data-testid=tls-plain][data-kind=http]').nth(1).scrollIntoViewIfNeeded()
  await shot(page, 'tls')
})

test('websocket: Upgrade with a valid accept key, 101, masked client frames, ping/pong and close', async ({
  page
}) => {
  await open(page, 'websocket', 'websocket')
  await act(page, 'chat')
  await act(page, 'ping')
  await page.getByTestId('pb-live').click()
  const view = page.getByTestId('view-frames')
  await expect(view.getByTestId('ws-101')).toBeVisible()
  const expected = await view.getByTestId('ws-expected').textContent()
  expect(expected).toMatch(/^[A-Za-z0-9+/]{27}=$/)
  await expect(view.getByTestId('ws-accept')).toHaveText(expected ?? '')
  await expect(
    view.locator('[data-testid=ws-frame][data-opcode="1"][data-dir=c2s][data-masked=true]')
  ).toHaveCount(2)
  await expect(
    view.locator('[data-testid=ws-frame][data-opcode="1"][data-dir=s2c][data-masked=false]')
  ).toHaveCount(4)
  await expect(view.locator('[data-testid=ws-frame][data-opcode="9"]')).toHaveCount(3)
  await expect(view.locator('[data-testid=ws-frame][data-opcode="10"]')).toHaveCount(3)
  // A client frame laid out: masking key, masked bytes and the unmasked text.
  await view.locator('[data-testid=ws-frame][data-opcode="1"][data-dir=c2s]').first().click()
  const layout = view.getByTestId('ws-frame-layout')
  await expect(layout).toHaveAttribute('data-masked', 'true')
  await expect(layout.getByTestId('ws-unmasked')).toHaveText('Olá a todos!')
  await layout.getByTestId('ws-bit-masking_key').click()
  await expect(page.locator('[data-testid=hex-byte][data-selected=true]')).toHaveCount(4)
  await act(page, 'close')
  await page.getByTestId('pb-live').click()
  await expect(view.locator('[data-testid=ws-frame][data-opcode="8"]')).toHaveCount(2)
  await view.locator('[data-testid=ws-frame][data-opcode="1"][data-dir=c2s]').first().click()
  await shot(page, 'websocket')
})

test('sse: metrics stream, cut, reconnect with Last-Event-ID and resume; LLM tokens one by one', async ({
  page
}) => {
  await open(page, 'sse', 'http')
  await page.getByTestId('param-interval').fill('300')
  await page.getByTestId('param-retry').fill('500')
  await act(page, 'metrics')
  await page.getByTestId('pb-live').click()
  const view = page.getByTestId('view-eventstream')
  const reconnect = view.getByTestId('sse-reconnect')
  await expect(reconnect).toHaveCount(1)
  const last = Number(await reconnect.getAttribute('data-last-event-id'))
  expect(last).toBeGreaterThanOrEqual(2)
  await expect(reconnect).toHaveAttribute('data-resumed-at', String(last + 1))
  await expect(view.locator('[data-testid=sse-cut][data-by=server]')).toHaveCount(1)
  const ids = await view
    .getByTestId('sse-event')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))))
  expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1))
  await act(page, 'chat')
  await page.getByTestId('pb-live').click()
  await expect(view.getByTestId('sse-done')).toBeVisible()
  await expect(view.getByTestId('sse-answer')).toContainText(
    'SSE é suficiente porque a geração de texto é unidirecional'
  )
  expect(Number(await view.getByTestId('sse-tokens').getAttribute('data-count'))).toBeGreaterThan(10)
  await act(page, 'compare')
  await page.getByTestId('pb-live').click()
  const both = view.getByTestId('sse-vs-ws')
  await expect(both).toHaveAttribute('data-ws-count', /^[3-9]$/)
  await expect(both).toHaveAttribute('data-sse-count', /^[3-9]$/)
  // A token selected: its data: line in the byte inspector.
  await view.getByTestId('sse-token').nth(3).click()
  await expect(page.locator('[data-testid=hex-byte][data-selected=true]').first()).toBeVisible()
  await shot(page, 'sse')
})
