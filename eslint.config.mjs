import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import wirelab from './eslint.layers.mjs'

/** Globals of node and of the DOM that src/shared may not use: it runs on both sides. */
const HOST_GLOBALS = [
  ...[
    'Buffer',
    'process',
    'require',
    'module',
    '__dirname',
    '__filename',
    'global',
    'setImmediate',
    'clearImmediate'
  ],
  ...[
    'window',
    'document',
    'navigator',
    'location',
    'localStorage',
    'sessionStorage',
    'HTMLElement',
    'Element',
    'Node',
    'Event'
  ],
  ...['requestAnimationFrame', 'cancelAnimationFrame', 'fetch', 'Blob', 'File', 'URL', 'Worker']
].map((name) => ({ name, message: 'src/shared is pure TypeScript for both sides: no node or DOM globals.' }))

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      'test-results/**',
      'test-results-*/**',
      'playwright-report/**',
      'resources/**'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error'
    }
  },
  {
    files: ['**/*.cjs', 'scripts/**/*.js', 'bin/**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules }
  },
  // The layers (eslint.layers.mjs). Tests and src/main/lab/testing may import the engine from any
  // layer (integration tests); production code may not.
  {
    files: ['src/**/*.{ts,tsx,mts}'],
    plugins: { wirelab },
    rules: { 'wirelab/layers': 'error' }
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-globals': ['error', ...HOST_GLOBALS] }
  },
  prettier
)
