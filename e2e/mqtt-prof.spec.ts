import { expect, test } from '@playwright/test'
test('profile', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open')
  await page.getByTestId('lesson-picker').selectOption('mqtt')
  await expect(page.getByTestId('port-mqtt')).toHaveAttribute('data-port', /^\d+$/)
  await page.getByTestId('pb-speed').selectOption('4')
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.start')
  await page.getByTestId('action-burst').click()
  await expect(page.getByTestId('action-burst')).toBeEnabled({ timeout: 60_000 })
  await page.getByTestId('pb-live').click()
  await expect(page.getByTestId('fanout-in')).toHaveText('1000', { timeout: 30_000 })
  const { profile } = await cdp.send('Profiler.stop')
  const self = new Map<string, number>()
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const dt = profile.timeDeltas ?? []
  profile.samples?.forEach((id, i) => {
    const n = byId.get(id)!
    const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0))
  })
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)
  for (const [k, v] of top) console.log('PROF', (v / 1000).toFixed(0), 'ms', k)
})
