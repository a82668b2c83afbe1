import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { sessionFileArg } from './session-file-arg'

describe('sessionFileArg', () => {
  it('finds the double-clicked session among a packaged launch’s arguments', () => {
    expect(sessionFileArg(['/opt/Wirelab/wirelab', '/home/ana/aula 3.wirelab'], '/')).toBe(
      '/home/ana/aula 3.wirelab'
    )
    expect(
      sessionFileArg(
        ['C:\\Wirelab\\Wirelab.exe', '--allow-file-access-from-files', 'SESSION.WIRELAB'],
        '/tmp'
      )
    ).toBe(path.resolve('/tmp', 'SESSION.WIRELAB'))
  })

  it('resolves a relative path against the second launch’s working directory', () => {
    expect(sessionFileArg(['electron', '.', 'saved/echo.wirelab'], '/home/ana')).toBe(
      '/home/ana/saved/echo.wirelab'
    )
  })

  it('ignores the executable, switches and other files', () => {
    expect(sessionFileArg(['/x/echo.wirelab'], '/')).toBeNull() // argv[0] is the program itself
    expect(sessionFileArg(['wirelab', '--flag=a.wirelab', 'notes.txt', 'x.wirelab.bak'], '/')).toBeNull()
    expect(sessionFileArg([], '/')).toBeNull()
  })
})
