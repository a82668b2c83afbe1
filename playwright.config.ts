import { defineConfig, devices } from '@playwright/test'

// Browser-mode e2e: the Node host serves the built renderer (`electron-vite build` first) and
// the WebSocket bridge; lesson ports are ephemeral so tests never collide with a running lesson.
const PORT = Number(process.env.WIRELAB_E2E_PORT ?? 5180)

export default defineConfig({
  testDir: 'e2e',
  // Separate output folders let several runs share a checkout without clobbering traces.
  outputDir: process.env.WIRELAB_E2E_OUT ?? 'test-results',
  testIgnore: process.env.WIRELAB_SCREENSHOT ? [] : ['**/screenshot.spec.ts'],
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  // A flaky test is a bug to fix, not to retry.
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 20_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1600, height: 1000 },
    // Every lesson asks a checkpoint question before its main step, which holds playback until
    // someone answers. The lesson specs watch the traffic, so they start with checkpoints off;
    // checkpoints.spec.ts turns them on.
    storageState: { cookies: [], origins: [{ origin: `http://127.0.0.1:${PORT}`, localStorage: [{ name: 'wirelab.checkpoints', value: 'off' }] }] }
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: ['**/electron.spec.ts'],
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1600, height: 1000 },
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run'
          ]
        }
      }
    },
    { name: 'electron', testMatch: ['**/electron.spec.ts'] }
  ],
  webServer: {
    command: `node bin/wirelab.js web --port ${PORT} --ephemeral`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    // SIGTERM (not the default SIGKILL) so the host stops its lesson and the servers it started
    // (redis-server, rabbitmq-server run in their own process groups and would outlive a SIGKILL).
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 }
  }
})
