// The gRPC lessons end to end in browser mode: the four call types as four lanes on one
// connection, the ways a call ends, a message unwrapped layer by layer into the byte inspector;
// and REST vs gRPC vs GraphQL side by side with the query box. Each test saves a 1920×1080
// screenshot under resources/screenshots/ (grpc.png, api-compare.png).
import { expect, test } from '@playwright/test'
import { act, openLesson, shot } from './helpers'

test.use({ viewport: { width: 1920, height: 1080 } })
// Each test drives several real calls and waits for playback to reach them.
test.setTimeout(120_000)

test('grpc: the four call types, one lane each on one connection; unwrap into the byte inspector', async ({
  page
}) => {
  await openLesson(page, 'grpc', 'grpc', { lang: 'en', theme: 'dark' })
  await page.getByTestId('param-interval').fill('20')
  await act(page, 'four-types')
  const view = page.getByTestId('view-grpc')
  await expect(view).toHaveAttribute('data-calls', '4')
  const lanes = view.getByTestId('grpc-lane')
  await expect(lanes.nth(0)).toHaveAttribute('data-call-type', 'unary')
  await expect(lanes.nth(1)).toHaveAttribute('data-call-type', 'server-streaming')
  await expect(lanes.nth(2)).toHaveAttribute('data-call-type', 'client-streaming')
  await expect(lanes.nth(3)).toHaveAttribute('data-call-type', 'bidi')
  for (let i = 0; i < 4; i++) await expect(lanes.nth(i)).toHaveAttribute('data-status', 'OK')
  await expect(page.getByTestId('grpc-conn')).toHaveCount(0)
  // Pick the unary request: its layers, then one protobuf field in the byte inspector.
  await view.locator('[data-testid=grpc-item][data-stream="1"][data-kind=message][data-dir=c2s]').click()
  const unwrap = page.getByTestId('view-unwrap')
  await expect(unwrap.getByTestId('unwrap-layer')).toHaveCount(4)
  await expect(unwrap.locator('[data-layer]')).toHaveText(
    [/TCP/, /HTTP\/2/, /gRPC/, /Protobuf/].map((r) => r) as never
  )
  await unwrap.getByTestId('unwrap-field').first().click()
  await expect(page.getByTestId('field-status')).toContainText('protobuf.sensor_id')
  await expect(page.getByTestId('view-bytes')).toHaveAttribute('data-pdu', /\d+/)
  await shot(page, 'grpc')
})

test('api-compare: the same screen three ways, over-fetching field by field, errors, the table, the query box', async ({
  page
}) => {
  await openLesson(page, 'api-compare', 'http', { lang: 'en', theme: 'dark' })
  await act(page, 'fetch')
  const view = page.getByTestId('view-compare')
  await expect(view).toHaveAttribute('data-tab', 'fetch')
  const cards = view.getByTestId('compare-card')
  await expect(cards).toHaveCount(3)
  for (const api of ['rest', 'graphql', 'grpc'])
    await expect(view.locator(`[data-testid=compare-card][data-api=${api}]`)).toHaveAttribute(
      'data-received',
      /^[1-9]\d*$/
    )
  await expect(view.locator('[data-testid=compare-card][data-api=grpc]')).toHaveAttribute(
    'data-round-trips',
    '3'
  )
  // REST carried fields the screen did not ask for; GraphQL none.
  await expect(view.locator('[data-testid=compare-body][data-api=rest]')).not.toHaveAttribute(
    'data-unasked',
    '0'
  )
  await expect(view.locator('[data-testid=compare-body][data-api=graphql]')).toHaveAttribute(
    'data-unasked',
    '0'
  )
  await view
    .locator('[data-testid=compare-body][data-api=rest] [data-testid=compare-leaf][data-needed=false]')
    .first()
    .click()
  await expect(page.getByTestId('field-status')).toContainText('json.member')
  await act(page, 'repeat')
  await expect(view).toHaveAttribute('data-tab', 'repeat')
  await act(page, 'n-plus-1')
  await expect(view.locator('[data-testid=compare-requests][data-api=rest]')).toHaveAttribute(
    'data-count',
    '4'
  )
  await expect(view.locator('[data-testid=compare-requests][data-api=graphql]')).toHaveAttribute(
    'data-count',
    '1'
  )
  await act(page, 'errors')
  await expect(view.locator('[data-testid=compare-error-row][data-api=graphql]')).toHaveCount(4)
  await expect(view.locator('[data-testid=compare-error-row][data-api=graphql]').nth(3)).toHaveAttribute(
    'data-status',
    '400'
  )
  await expect(view.locator('[data-testid=compare-error-row][data-api=grpc]')).toHaveAttribute(
    'data-status',
    '200'
  )
  await act(page, 'streaming')
  await view.getByTestId('compare-tab-table').click()
  await expect(view.locator('[data-testid=table-figure][data-measured=no]')).toHaveCount(0)
  // The query box: ask for two other fields, get exactly those.
  await page.getByTestId('graphql-query').fill('{ sensor(id: "C3") { modelo bateria } }')
  await page.getByTestId('graphql-run').click()
  await expect(page.getByTestId('graphql-answer')).toHaveAttribute('data-status', '200')
  await expect(page.getByTestId('graphql-answer')).toContainText('"modelo": "DS18B20"')
  await view.getByTestId('compare-tab-fetch').click()
  await shot(page, 'api-compare')
})
