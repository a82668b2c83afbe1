// The foundation lesson end to end in browser mode: real sockets in the host, the bridge, the
// sequence diagram, the byte inspector and an outside client appearing as its own actor.
import net from 'node:net'
import { expect, test } from '@playwright/test'
import { arrows, hexOf, openLesson } from './helpers'

const MESSAGE = 'Ola, mundo'

test('TCP vs UDP echo: set-up, data, echo, teardown, and the payload bytes in the inspector', async ({
  page
}) => {
  await openLesson(page, 'tcp-udp-echo')
  await page.getByTestId('param-message').fill(MESSAGE)
  await page.getByTestId('action-send-both').click()

  const tcp = '[data-protocol=tcp]'
  // Set-up: the three modeled segments, client → server, server → client, client → server.
  await expect(arrows(page, `${tcp}[data-label="SYN"][data-dir=c2s][data-modeled=true]`)).toHaveCount(1)
  await expect(arrows(page, `${tcp}[data-label="SYN, ACK"][data-dir=s2c][data-modeled=true]`)).toHaveCount(1)
  await expect(arrows(page, `${tcp}[data-label="ACK"][data-dir=c2s]`).first()).toBeAttached()
  // Data and its echo: real bytes, not modeled.
  const data = arrows(page, `${tcp}[data-label='"${MESSAGE}"'][data-modeled=false]`)
  await expect(data.and(page.locator('[data-dir=c2s]'))).toHaveCount(1)
  await expect(data.and(page.locator('[data-dir=s2c]'))).toHaveCount(1)
  await expect(data.and(page.locator('[data-dir=s2c]'))).toContainText(/echo/)
  // Teardown: a FIN from each side.
  await expect(arrows(page, `${tcp}[data-label="FIN, ACK"][data-dir=c2s]`)).toHaveCount(1)
  await expect(arrows(page, `${tcp}[data-label="FIN, ACK"][data-dir=s2c]`)).toHaveCount(1)
  await expect(page.getByTestId('seq-close').first()).toContainText(/FIN/)
  // UDP: one datagram each way, no handshake.
  const udp = arrows(page, '[data-protocol=udp]')
  await expect(udp).toHaveCount(2)
  await expect(udp.and(page.locator('[data-modeled=true]'))).toHaveCount(0)
  // Real ports on the lifeline heads: the client's ephemeral port and the server's public port.
  const serverPort = await page.getByTestId('port-tcp').getAttribute('data-port')
  await expect(page.locator('[data-testid=seq-actor][data-actor=tcp-server]')).toContainText(`:${serverPort}`)
  await expect(
    page.locator('[data-testid=seq-actor][data-actor=tcp-client] [data-testid=seq-actor-addr]')
  ).toHaveText(/^:\d+$/)

  // Select the payload: exactly its ten bytes are highlighted, in hex and in ASCII.
  await data.and(page.locator('[data-dir=c2s]')).click()
  const hex = page.locator('[data-testid=hex-byte][data-selected=true]')
  await expect(hex).toHaveCount(MESSAGE.length)
  await expect(hex).toHaveText(hexOf(MESSAGE))
  await expect(page.locator('[data-testid=hex-byte]')).toHaveCount(MESSAGE.length)
  const ascii = page.locator('[data-testid=ascii-byte][data-selected=true]')
  await expect(ascii).toHaveText(MESSAGE.split(''))
  await expect(page.getByTestId('field-status')).toContainText('bytes 0–9')

  // Linked both ways: a byte selects the deepest field holding it, a field highlights its bytes.
  await page.locator('[data-testid=hex-byte][data-i="4"]').click()
  await expect(page.locator('[data-testid=field][data-field-id="tcp.payload.text"]')).toHaveAttribute(
    'data-selected',
    'true'
  )
  await expect(page.locator('[data-testid=field][data-field-id="tcp.payload.text"]')).toContainText(
    `"${MESSAGE}"`
  )

  // A modeled segment: its header fields are labelled as modeled.
  await arrows(page, `${tcp}[data-label="SYN"]`).click()
  await expect(page.getByTestId('view-bytes')).toContainText(/modeled/)
  await page.locator('[data-testid=field][data-field-id="tcp.srcport"]').click()
  await expect(page.locator('[data-testid=hex-byte][data-selected=true]')).toHaveCount(2)

  // The packet list and the diagram share the selection.
  const synSeq = await arrows(page, `${tcp}[data-label="SYN"]`).getAttribute('data-seq')
  await expect(page.locator(`[data-testid=packet-row][data-seq="${synSeq}"]`)).toHaveAttribute(
    'aria-selected',
    'true'
  )
  const fin = page.locator('[data-testid=packet-row]', { hasText: '[FIN, ACK]' }).first()
  await fin.click()
  await expect(page.locator('[data-testid=seq-arrow].selected')).toHaveAttribute('data-label', 'FIN, ACK')
  await expect(page.getByTestId('view-bytes')).toContainText('[FIN, ACK]')
})

test('a client of your own appears as its own actor, with its ephemeral port', async ({ page }) => {
  await openLesson(page, 'tcp-udp-echo')
  const port = Number(await page.getByTestId('port-tcp').getAttribute('data-port'))
  const text = 'hello from an outside client'
  const { localPort, echo } = await new Promise<{ localPort: number; echo: string }>((resolve, reject) => {
    let localPort = 0
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      localPort = socket.localPort ?? 0
      socket.write(text)
    })
    let got = ''
    socket.on('data', (d) => {
      got += d.toString()
      if (got.length >= text.length) socket.end()
    })
    socket.on('close', () => resolve({ localPort, echo: got }))
    socket.on('error', reject)
  })
  expect(echo).toBe(text)

  const actor = page.locator('[data-testid=seq-actor][data-external=true]')
  await expect(actor).toHaveCount(1)
  await expect(actor).toContainText(/Your client|Seu cliente/)
  await expect(actor).toContainText(`127.0.0.1:${localPort}`)
  const external = await actor.getAttribute('data-actor')
  // The band shows loopback addresses as their ports; the full address is its hover text.
  const band = page.locator(`[data-testid=seq-conn]`).last()
  await expect(band.locator('text.conn-text')).toContainText(`:${localPort} ⇄`)
  await expect(band.locator('title')).toHaveText(new RegExp(`^127\\.0\\.0\\.1:${localPort} ⇄ 127\\.0\\.0\\.1:\\d+$`))
  await expect(arrows(page, `[data-label='"${text}"'][data-dir=c2s]`)).toHaveCount(1)
  expect(external).toBeTruthy()
})

test('playback: Home, steps with the keyboard (clickers), live; captions follow the language', async ({
  page
}) => {
  await openLesson(page, 'tcp-udp-echo')
  // Home goes to the start of the session log: start from an empty one.
  await page.getByTestId('session-clear').click()
  await expect(page.getByTestId('pb-step')).toHaveText('0/0')
  await page.getByTestId('action-send-tcp').click()
  await expect(arrows(page, '[data-label="FIN, ACK"]')).toHaveCount(2)
  await expect(page.getByTestId('pb-state')).toHaveAttribute('data-state', 'live')

  await page.keyboard.press('Home')
  await expect(page.getByTestId('pb-state')).toHaveAttribute('data-state', 'paused')
  await expect(page.getByTestId('seq-arrow')).toHaveCount(0)
  // One event of interest per step: the connection, then the SYN (PageDown is a clicker's "next").
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('seq-conn')).toHaveCount(1)
  await expect(page.getByTestId('seq-arrow')).toHaveCount(0)
  await page.keyboard.press('PageDown')
  await expect(page.getByTestId('seq-arrow')).toHaveCount(1)
  await expect(page.getByTestId('seq-arrow')).toHaveAttribute('data-label', 'SYN')
  await expect(page.getByTestId('caption')).toContainText('SYN, SYN-ACK, ACK')
  await page.keyboard.press('PageDown')
  await expect(page.getByTestId('seq-arrow')).toHaveCount(2)
  await page.keyboard.press('PageUp')
  await expect(page.getByTestId('seq-arrow')).toHaveCount(1)
  await expect(page.getByTestId('pb-time')).toContainText(/\d\d:\d\d:\d\d\.\d{6}/)

  await page.getByTestId('lang-pt').click()
  await expect(page.getByTestId('lesson-title')).toHaveText('Eco TCP vs UDP')
  await expect(page.getByTestId('caption')).toContainText('SYN, SYN-ACK, ACK')
  await expect(page.getByTestId('pb-state')).toHaveText('Pausado')
  await page.getByTestId('lang-en').click()

  await page.getByTestId('pb-live').click()
  await expect(page.getByTestId('pb-state')).toHaveAttribute('data-state', 'live')
  await expect(arrows(page, '[data-label="FIN, ACK"]')).toHaveCount(2)

  // Clearing the log empties every view; the next send starts a fresh diagram.
  await page.getByTestId('session-clear').click()
  await expect(page.getByTestId('seq-arrow')).toHaveCount(0)
  await expect(page.getByTestId('packet-row')).toHaveCount(0)
  await page.getByTestId('action-send-udp').click()
  await expect(arrows(page, '[data-protocol=udp]')).toHaveCount(2)
  await expect(page.getByTestId('seq-actor')).toHaveCount(2)
})
