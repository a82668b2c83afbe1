import { describe, expect, it } from 'vitest'
import { packageVersion } from './package-version'

describe('packageVersion', () => {
  it('reads versions of packages whose exports hide package.json', () => {
    expect(packageVersion('fauxqs')).toMatch(/^\d+\.\d+\.\d+/)
    expect(packageVersion('@electric-sql/pglite')).toMatch(/^\d+\.\d+\.\d+/)
    expect(packageVersion('no-such-package-here')).toBe('unknown')
  })
})
