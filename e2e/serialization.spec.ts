// The serialization lesson end to end in browser mode: the real encoders run in the host; editing
// temperatura re-encodes every format live; the Protobuf tag byte is taken apart on screen.
import { mkdirSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'

const FORMATS = ['json', 'protobuf', 'avro', 'msgpack', 'cbor', 'thrift-binary', 'thrift-compact']

test.use({ viewport: { width: 1920, height: 1080 } })

async function openSerialization(page: Page): Promise<void> {
  await page.goto('/')
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open')
  await expect(page.getByTestId('lesson-picker').locator('option[value="serialization"]')).toBeAttached()
  await page.getByTestId('lesson-picker').selectOption('serialization')
  await expect(page.getByTestId('lesson-state')).toHaveText(/running|em execução/i)
  await expect(page.getByTestId('port-serialization')).toHaveAttribute('data-port', /^\d+$/)
  await page.getByTestId('pb-speed').selectOption('4')
}

async function layouts(page: Page): Promise<Record<string, { hex: string; size: number; shown: number }>> {
  const out: Record<string, { hex: string; size: number; shown: number }> = {}
  for (const f of FORMATS) {
    const row = page.getByTestId(`ser-row-${f}`)
    const hex = (await row.getAttribute('data-hex')) ?? ''
    const shown = Number(await page.getByTestId(`ser-size-${f}`).locator('.ser-size-count').textContent())
    out[f] = { hex, size: hex.length / 2, shown }
  }
  return out
}

/** Types a temperatura and waits until every format shows new bytes. */
async function setTemperatura(
  page: Page,
  value: string,
  before: Record<string, { hex: string }>
): Promise<void> {
  await page.getByTestId('ser-temperatura').fill(value)
  await page.getByTestId('pb-live').click()
  for (const f of FORMATS)
    await expect(page.getByTestId(`ser-row-${f}`), f).not.toHaveAttribute('data-hex', before[f].hex)
}

test('editing temperatura re-encodes every format; the Protobuf tag byte is explained', async ({ page }) => {
  await openSerialization(page)
  const view = page.getByTestId('view-serialization')
  for (const f of FORMATS) await expect(view.getByTestId(`ser-row-${f}`)).toBeVisible()
  // The seeds' reading: 23.5 as a double is 09 + 8 little-endian bytes in Protobuf.
  await expect(view.getByTestId('ser-row-protobuf')).toHaveAttribute('data-hex', /^090000000000803740/)
  const first = await layouts(page)
  for (const f of FORMATS) expect(first[f].shown, f).toBe(first[f].size)

  // 0: Protobuf omits a field at its default value, MessagePack and CBOR switch to a 1-byte
  // integer, JSON writes one digit; Avro and Thrift still spend 8 bytes on the double.
  await setTemperatura(page, '0', first)
  const zero = await layouts(page)
  for (const f of FORMATS)
    await expect(page.getByTestId(`ser-size-${f}`)).toHaveAttribute('data-size', String(zero[f].size))
  for (const f of ['json', 'protobuf', 'msgpack', 'cbor']) expect(zero[f].size, f).toBeLessThan(first[f].size)
  for (const f of ['avro', 'thrift-binary', 'thrift-compact']) expect(zero[f].size, f).toBe(first[f].size)
  expect(zero.protobuf.size).toBe(first.protobuf.size - 9)

  // 31.7: every format's bytes change again, and each size on the bars is its byte count.
  await setTemperatura(page, '31.7', zero)
  const warm = await layouts(page)
  for (const f of FORMATS) {
    expect(warm[f].hex, f).not.toBe(first[f].hex)
    expect(warm[f].shown, f).toBe(warm[f].size)
  }
  expect(warm.json.size).toBe(first.json.size)
  expect(Buffer.from(warm.json.hex, 'hex').toString()).toContain('"temperatura":31.7')

  // The same field has the same colour everywhere: temperatura's bytes carry its key in every format.
  for (const f of FORMATS)
    await expect(
      view.locator(`[data-testid=ser-row-${f}] [data-testid=ser-byte][data-key=temperatura]`).first()
    ).toBeVisible()

  // Select the Protobuf tag byte: field 1, wire type 1 (I64), (1 << 3) | 1 = 0x09.
  await view.locator('[data-testid=ser-row-protobuf] [data-testid=ser-byte][data-i="0"]').click()
  const explain = view.getByTestId('tag-explain')
  await expect(explain).toBeVisible()
  await expect(explain.getByTestId('tag-field-number')).toHaveText('1')
  await expect(explain.getByTestId('tag-wire-type')).toHaveText('1 = I64')
  await expect(explain.getByTestId('tag-formula')).toContainText('(1 << 3) | 1 = 9 = 0x9')
  await expect(
    view.locator('[data-testid=ser-row-protobuf] [data-testid=ser-byte][data-sel=true]')
  ).toHaveCount(1)
  // The byte inspector shows the same PDU, with the tag's field number selected.
  await expect(page.getByTestId('field-status')).toContainText('Field number')
  await expect(
    page.locator('[data-testid=field][data-field-id="protobuf.temperatura.tag.field_number"]')
  ).toHaveAttribute('data-selected', 'true')

  // The sensor's tag: field 2, wire type 2 (LEN) = 0x12, as in the course notes.
  const sensorTag = view
    .locator('[data-testid=ser-row-protobuf] [data-testid=ser-byte][data-key=sensor]')
    .first()
  await sensorTag.click()
  await expect(explain.getByTestId('tag-field-number')).toHaveText('2')
  await expect(explain.getByTestId('tag-wire-type')).toHaveText('2 = LEN')
  await expect(sensorTag).toHaveText('12')

  // On the wire: the Protobuf message crosses a real socket through the tap, framed, and the
  // receiver answers; both directions appear in the sequence diagram.
  await page.getByTestId('ser-wire-format').selectOption('protobuf')
  await page.getByTestId('action-send').click()
  await page.getByTestId('pb-live').click()
  await expect(page.locator('[data-testid=seq-arrow][data-protocol=protobuf][data-dir=c2s]')).toHaveCount(1)
  await expect(page.locator('[data-testid=seq-arrow][data-protocol=json][data-dir=s2c]')).toHaveCount(1)
  await expect(explain.getByTestId('tag-wire-type')).toHaveText('2 = LEN')

  await page.getByTestId('lesson-panel').evaluate((el) => el.scrollTo(0, 0))
  mkdirSync('resources/screenshots', { recursive: true })
  await page.screenshot({ path: 'resources/screenshots/serialization.png' })
})

test('pasted bytes decode without a schema; garbage is flagged with its range', async ({ page }) => {
  await openSerialization(page)
  await page.getByTestId('ser-input').fill('08 96 01 12 02 41 31')
  await page.getByTestId('ser-format').selectOption('protobuf')
  await page.getByTestId('action-decode').click()
  await page.getByTestId('pb-live').click()
  const view = page.getByTestId('view-serialization')
  await expect(view.getByTestId('ser-source')).toHaveAttribute('data-source', 'user')
  await expect(view.getByTestId('ser-row-protobuf')).toHaveAttribute('data-hex', '08960112024131')
  await expect(view.locator('[data-testid=ser-row-protobuf] [data-testid=ser-chip]')).toHaveText([
    'f1 3',
    'f2 4'
  ])

  await page.getByTestId('ser-input').fill('c1 00')
  await page.getByTestId('ser-format').selectOption('msgpack')
  await page.getByTestId('action-decode').click()
  await page.getByTestId('pb-live').click()
  await expect(view.getByTestId('ser-row-msgpack')).toHaveAttribute('data-hex', 'c100')
  await expect(view.locator('[data-testid=ser-row-msgpack] .badge.malformed')).toContainText('never used')
})
