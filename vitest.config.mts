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
    pool: 'forks'
  }
})
