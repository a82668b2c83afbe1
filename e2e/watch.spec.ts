// Watch your own program, in browser mode: a server started by the test, the tap in front of it,
// the protocol recognised, and network conditions marked on the arrows they delayed.
import net from 'node:net'
import { expect, test } from '@playwright/test'
import { arrows, openLesson } from './helpers'

test('watch: an outside echo server behind the tap, recognised, then slowed down by 150 ms each way', async ({ page }) => {
  const echo = net.createServer((c) => c.pipe(c))
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r))
  const target = (echo.address() as net.AddressInfo).port
  try {
    await openLesson(page, 'watch', 'watch')
    await page.getByTestId('param-target').fill(`127.0.0.1:${target}`)
    await page.getByRole('button', { name: /restart/i }).click()
    await expect(page.getByTestId('port-watch')).toHaveAttribute('data-port', /^\d+$/)
    await expect(page.locator('[data-testid=seq-actor]', { hasText: `Your server :${target}` })).toBeVisible()

    await page.getByTestId('action-send').click()
    const data = arrows(page, `[data-protocol=tcp][data-label='"Ola, mundo"'][data-modeled=false]`)
    await expect(data.and(page.locator('[data-dir=c2s]'))).toHaveCount(1)
    await expect(data.and(page.locator('[data-dir=s2c]'))).toContainText(/echo/)
    await expect(page.getByTestId('caption')).toBeVisible()

    // Network conditions: 150 ms each way, applied to the running lesson at once.
    await page.getByTestId('network-conditions').locator('summary').click()
    await page.getByTestId('net-latencyC2S').fill('150')
    await page.getByTestId('net-latencyS2C').fill('150')
    await page.getByTestId('net-apply').click()
    await expect(page.getByTestId('network-active')).toBeVisible()
    await expect(page.getByTestId('network-summary')).toContainText('+150 ms latency each way')

    await page.getByTestId('action-send').click()
    const delayed = arrows(page, '[data-fault=delay]')
    await expect(delayed).toHaveCount(2)
    await expect(delayed.first().getByTestId('seq-fault')).toContainText(/held 15\d ms/)

    await page.getByTestId('net-reset').click()
    await expect(page.getByTestId('network-active')).toHaveCount(0)
  } finally {
    echo.close()
  }
})
