// The HTTP lessons end to end in browser mode: REST over HTTP/1.1 (five requests on one
// keep-alive connection), HTTP/2 multiplexing (8 streams → 8 lanes with interleaved DATA frames on
// ONE connection) and the HTTP/1.1 vs HTTP/2 race (both sides finish, with their real times).
// Each test saves a 1920×1080 screenshot under resources/screenshots/.
import { mkdirSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import { act, openLesson, shot } from './helpers'

test.use({ viewport: { width: 1920, height: 1080 } })

const open = (page: Page, scene: string, port: string): Promise<void> =>
  openLesson(page, scene, port, { lang: 'en', theme: 'dark' })


test('rest: GET, 404, POST and chunked GET on one keep-alive connection', async ({ page }) => {
  await open(page, 'rest', 'http')
  await act(page, 'tour')
  // Five requests on one connection, which the client closes at the end of the tour.
  await expect(page.getByTestId('caption')).toContainText('keep-alive')
  await expect(page.getByTestId('seq-close')).toHaveCount(1)
  await page.getByTestId('param-path').fill('/items/42')
  await act(page, 'request')
  const notFound = page.getByTestId('packet-row').filter({ hasText: 'HTTP/1.1 404 Not Found' })
  await expect(notFound.last()).toBeVisible()
  await expect(page.getByTestId('caption')).toContainText('GET /items/42 → 404')
  await notFound.last().click()
  await expect(page.locator('[data-testid=field][data-field-id="json.member"]').first()).toBeVisible()
  // The request's connection stays open (keep-alive): pause so the last arrow stops flying.
  await page.getByTestId('pb-play').click()
  await expect(page.getByTestId('pb-state')).not.toHaveAttribute('data-state', 'live')
  mkdirSync('resources/screenshots', { recursive: true })
  await page.screenshot({ path: 'resources/screenshots/rest.png' })
})

test('http2: 8 streams → 8 lanes with interleaved DATA frames on one connection', async ({ page }) => {
  await open(page, 'http2', 'h2c')
  await page.getByTestId('param-streams').fill('8')
  await act(page, 'fetch')
  const view = page.getByTestId('view-streams')
  await expect(view).toHaveAttribute('data-streams', '8')
  await expect(page.getByTestId('streams-conn')).toHaveCount(0) // one connection only
  const lanes = view.getByTestId('stream-lane')
  await expect(lanes).toHaveCount(9) // stream 0 + 8 streams
  for (const id of [1, 3, 5, 7, 9, 11, 13, 15]) {
    await expect(view.locator(`[data-testid=lane-frame][data-stream="${id}"][data-type=DATA]`).first()).toBeAttached()
    await expect(view.locator(`[data-testid=lane-frame][data-stream="${id}"][data-type=HEADERS][data-dir=c2s]`)).toHaveCount(1)
  }
  await expect(view.locator('[data-testid=stream-lane][data-stream-id="0"] [data-testid=lane-frame][data-type=SETTINGS]')).toHaveCount(4)
  // Interleaved: consecutive DATA frames on the wire belong to different streams many times.
  const interleaved = Number(await view.getAttribute('data-interleaved'))
  expect(interleaved).toBeGreaterThan(16)
  const order = await view.locator('[data-testid=lane-frame][data-type=DATA][data-dir=s2c]').evaluateAll((els) =>
    els.map((e) => [Number(e.getAttribute('data-at')), Number(e.getAttribute('data-stream'))]).sort((a, b) => a[0] - b[0]).map(([, s]) => s)
  )
  // Most streams are interrupted by another stream's DATA between their first and last DATA frame
  // (which streams start first depends on when each request reached the server).
  const interrupted = [...new Set(order)].filter((s) => {
    const first = order.indexOf(s)
    const last = order.lastIndexOf(s)
    return order.slice(first, last).some((o) => o !== s)
  })
  expect(interrupted.length).toBeGreaterThanOrEqual(4)
  await expect(view.getByTestId('streams-window')).toBeVisible()
  await view.locator('[data-testid=lane-frame][data-stream="3"][data-type=HEADERS][data-dir=c2s]').click()
  await expect(page.locator('[data-testid=field][data-field-id="http2.streamid"]').first()).toBeVisible()
  // HPACK: the second request re-uses what the first put in the dynamic table.
  const chips = view.getByTestId('streams-hpack-block').getByTestId('hpack-chip')
  await expect(chips).toHaveCount(4)
  await expect(view.getByTestId('streams-hpack-block').locator('[data-kind=indexed]')).toHaveCount(3)
  await shot(page, 'http2')
})

test('http-race: both sides finish with their real times', async ({ page }) => {
  await open(page, 'http-race', 'h2c')
  await act(page, 'race')
  const view = page.getByTestId('view-race')
  await expect(view).toHaveAttribute('data-finished', 'true')
  const h1 = view.locator('[data-testid=race-side][data-protocol="http/1.1"]')
  const h2 = view.locator('[data-testid=race-side][data-protocol="h2"]')
  await expect(h1).toHaveAttribute('data-done', 'true')
  await expect(h2).toHaveAttribute('data-done', 'true')
  await expect(h1.getByTestId('race-row')).toHaveCount(24)
  await expect(h2.getByTestId('race-row')).toHaveCount(24)
  await expect(h1).toHaveAttribute('data-connections', '6')
  await expect(h2).toHaveAttribute('data-connections', '1')
  const ms1 = Number(await h1.getAttribute('data-ms'))
  const ms2 = Number(await h2.getAttribute('data-ms'))
  // 24 resources × 50 ms server delay: HTTP/1.1 needs 4 rounds on 6 connections, HTTP/2 one.
  expect(ms1).toBeGreaterThanOrEqual(200)
  expect(ms2).toBeGreaterThanOrEqual(50)
  await expect(page.getByTestId('race-time-h1')).toHaveText(/^\d+ ms$/)
  await expect(page.getByTestId('race-time-h2')).toHaveText(/^\d+ ms$/)
  await shot(page, 'http-race')
})
