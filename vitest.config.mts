import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: {
    alias: [
      { find: '@shared', replacement: resolve(import.meta.dirname, 'src/shared') },
      { find: '@renderer', replacement: resolve(import.meta.dirname, 'src/renderer/src') },
      // graphql ships ESM (index.mjs) and CommonJS (index.js) without an exports map: Node loads
      // graphql-http's copy as CommonJS, so the tests must use that same copy (one realm).
      { find: /^graphql$/, replacement: resolve(import.meta.dirname, 'node_modules/graphql/index.js') }
    ]
  },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Two test files at a time (vitest's default is one fewer than the cores: one on a 2-core
    // runner). Most tests wait on sockets, servers and timers rather than compute.
    maxWorkers: 2,
    // it.concurrent tests (every lesson's faults) run at most three at a time.
    maxConcurrency: 3
  }
})
