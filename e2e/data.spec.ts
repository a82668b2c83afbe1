// The Dados lessons end to end in browser mode. Spark on S3: the read paints every ranged GET on
// the byte map (footer + the chosen columns only, under half of the bytes), the executors' lanes,
// the throttled read's 503s and backoffs, the multipart upload's "-3" ETag. The dashboard: one
// request through Redis and Postgres on one timeline, the cached one shorter, then SSE updates;
// the byte inspector on a DataRow typed by its RowDescription. Screenshots at 1920×1080.
import { mkdirSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import { openLesson } from './helpers'

test.use({ viewport: { width: 1920, height: 1080 } })

async function act(page: Page, action: string, timeout = 60_000): Promise<void> {
  await page.getByTestId(`action-${action}`).click()
  await expect(page.getByTestId(`action-${action}`)).toBeEnabled({ timeout })
  await expect(page.getByTestId('action-error')).toHaveCount(0)
  await page.getByTestId('pb-live').click()
  await expect(page.getByTestId('pb-state')).toHaveAttribute('data-state', 'live')
}

async function shot(page: Page, name: string): Promise<void> {
  await expect(page.locator('circle.flight')).toHaveCount(0)
  mkdirSync('resources/screenshots', { recursive: true })
  await page.screenshot({ path: `resources/screenshots/${name}.png` })
}

test('spark-s3: footer + two columns painted on each object; under half of the bytes fetched', async ({ page }) => {
  await openLesson(page, 'spark-s3', 's3', { lang: 'en', theme: 'dark' })
  await act(page, 'read')
  const objects = page.getByTestId('bytemap-object')
  await expect(objects).toHaveCount(3)
  const totals = page.getByTestId('bytemap-totals')
  await expect(totals).toHaveAttribute('data-gets', '27')
  const fetched = Number(await totals.getAttribute('data-fetched'))
  const total = Number(await totals.getAttribute('data-total'))
  expect(fetched).toBeGreaterThan(0)
  expect(fetched).toBeLessThan(total / 2)
  // One footer per object, then only loja and valor chunks, all answered 206.
  await expect(page.locator('[data-testid=bytemap-fetch][data-kind=footer]')).toHaveCount(3)
  await expect(page.locator('[data-testid=bytemap-fetch][data-kind=loja]')).toHaveCount(12)
  await expect(page.locator('[data-testid=bytemap-fetch][data-kind=valor]')).toHaveCount(12)
  await expect(page.locator('[data-testid=bytemap-fetch]:not([data-status="206"])')).toHaveCount(0)
  await expect(page.locator('[data-testid=bytemap-column][data-read=true]')).toHaveCount(2)
  await expect(page.locator('[data-testid=bytemap-column][data-column=cliente]')).toHaveAttribute('data-read', 'false')
  // Lanes: the driver and three executors, each on its own connection.
  await expect(page.getByTestId('lane')).toHaveCount(5) // driver's HEAD connection, driver, 3 executors
  // The byte inspector on a footer: FileMetaData decoded.
  await page.locator('[data-testid=bytemap-fetch][data-kind=footer]').first().click()
  await expect(page.locator('[data-testid=field][data-field-id="parquet.file_metadata"]')).toBeVisible()
  await shot(page, 'spark-s3')
})

test('spark-s3: throttling (503 SlowDown) and retries with backoff; multipart upload with an ETag ending in -3', async ({ page }) => {
  await openLesson(page, 'spark-s3', 's3', { lang: 'pt', theme: 'dark' })
  await act(page, 'throttle')
  await expect(page.locator('[data-testid=lane-item][data-status="503"]').first()).toBeVisible()
  await expect(page.getByTestId('lane-backoff').first()).toBeAttached()
  await expect(page.getByTestId('caption')).toContainText('503 Slow Down')
  await act(page, 'write', 120_000)
  const mp = page.getByTestId('bytemap-multipart')
  await expect(mp).toHaveAttribute('data-parts', '3')
  await expect(mp).toHaveAttribute('data-etag', /-3"$/)
  await shot(page, 'spark-s3-throttle')
  // 11 MB crossed the tap: clear the log so the next page does not download it again.
  await page.getByTestId('session-clear').click()
})

test('dashboard: a miss through Redis and Postgres, a hit from Redis only, then SSE updates', async ({ page }) => {
  test.setTimeout(120_000)
  // PostgreSQL (PGlite) starts from a prepared data folder; the first start on a machine prepares it.
  await openLesson(page, 'dashboard', 'http', { lang: 'en', theme: 'dark' }, 90_000)
  await act(page, 'tour', 90_000)
  const reqs = page.getByTestId('trace-request')
  await expect(reqs).toHaveCount(2)
  await expect(reqs.nth(0)).toHaveAttribute('data-cache', 'MISS')
  await expect(reqs.nth(0)).toHaveAttribute('data-legs', 'resp,pgsql,resp')
  await expect(reqs.nth(1)).toHaveAttribute('data-cache', 'HIT')
  await expect(reqs.nth(1)).toHaveAttribute('data-legs', 'resp')
  await expect(page.getByTestId('trace-saved')).toBeVisible()
  await expect(page.getByTestId('trace-updates')).toHaveAttribute('data-count', '3')
  // Four actors on the sequence diagram.
  await expect(page.locator('[data-testid=seq-actor]')).toHaveCount(4)
  // The byte inspector on a DataRow: values typed by the RowDescription's OIDs.
  await reqs.nth(0).locator('[data-testid=trace-leg][data-kind=pgsql]').click()
  await expect(page.getByTestId('view-bytes')).toContainText('DataRow')
  const values = page.locator('[data-testid=field][data-field-id="pgsql.val"]')
  await expect(values.nth(0)).toContainText('loja: text (text)')
  await expect(values.nth(1)).toContainText('vendas: int8 (text)')
  await expect(values.nth(2)).toContainText('total: numeric (text)')
  await shot(page, 'dashboard')
})
