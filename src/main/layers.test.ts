// The layers are enforced by lint (eslint.layers.mjs): ESLint, run the way `npm run lint` runs it,
// reports each deliberate violation below, and lets the same import through where it is allowed.
import path from 'node:path'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

const root = path.join(__dirname, '..', '..')
const eslint = new ESLint({ cwd: root })

/** The layer problems ESLint reports for `code` as if it were the file `file`. */
async function layerProblems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) })
  return result.messages
    .filter((m) => m.ruleId === 'wirelab/layers' || m.ruleId === 'no-restricted-globals')
    .map((m) => m.message)
}

describe('npm run lint enforces the layers', () => {
  // Loading ESLint and its TypeScript parser is the slow part: once, before the checks.
  beforeAll(() => eslint.lintText('', { filePath: path.join(root, 'src/shared/warm-up.ts') }), 60_000)

  it('reports the renderer importing the engine', async () => {
    const problems = await layerProblems(
      'src/renderer/src/views/sequence/Bad.tsx',
      "import { Lab } from '../../../../main/lab/lab'\nexport const lab = new Lab()\n"
    )
    expect(problems).toEqual([expect.stringMatching(/renderer never imports src\/main/)])
  })

  it('reports a protocol importing a scene, and a protocol importing another protocol', async () => {
    expect(
      await layerProblems(
        'src/main/lab/protocols/http/bad.ts',
        "import type { SceneContext } from '../../scenes/context'\nexport type C = SceneContext\n"
      )
    ).toEqual([expect.stringMatching(/protocols never import scenes/)])
    expect(
      await layerProblems(
        'src/main/lab/protocols/sse/bad.ts',
        "import { websocketDissector } from '../websocket/dissector'\nexport const d = websocketDissector\n"
      )
    ).toEqual([
      expect.stringMatching(/uses protocol "websocket" only through protocols\/common or dissect\/chain.ts/)
    ])
  })

  it('reports dissect/ importing the lab, and the app importing test support', async () => {
    expect(
      await layerProblems(
        'src/main/lab/dissect/bad.ts',
        "import { Lab } from '../lab'\nexport const L = Lab\n"
      )
    ).toEqual([expect.stringMatching(/lab\/dissect never imports the rest of the lab/)])
    expect(
      await layerProblems(
        'src/main/lab/tap/bad.ts',
        "import { has } from '../testing/events'\nexport const h = has\n"
      )
    ).toEqual([expect.stringMatching(/only tests and scripts import it/)])
  })

  it('reports node modules and node globals in src/shared', async () => {
    const problems = await layerProblems(
      'src/shared/bad.ts',
      "import { readFileSync } from 'node:fs'\nexport const b = Buffer.from(readFileSync('x'))\n"
    )
    expect(problems).toEqual([
      expect.stringMatching(/src\/shared is pure/),
      expect.stringMatching(/no node or DOM globals/)
    ])
  })

  it('reports a lesson importing another lesson', async () => {
    expect(
      await layerProblems(
        'src/main/lab/scenes/sse/bad.ts',
        "import { tcpHandshake } from '../tcp-handshake'\nexport const t = tcpHandshake\n"
      )
    ).toEqual([expect.stringMatching(/lesson "sse" never imports lesson "tcp-handshake"/)])
  })

  it('lets the same imports through where they are allowed', async () => {
    // An integration test may run the engine; a protocol may use protocols/common and the chain API.
    expect(
      await layerProblems(
        'src/renderer/src/views/sequence/model.test.ts',
        "import { Lab } from '../../../../main/lab/lab'\nexport const lab = new Lab()\n"
      )
    ).toEqual([])
    expect(
      await layerProblems(
        'src/main/lab/protocols/sse/ok.ts',
        "import { ByteReader } from '../common/reader'\nimport { handOff } from '../../dissect/chain'\nexport const x = [ByteReader, handOff]\n"
      )
    ).toEqual([])
    expect(
      await layerProblems(
        'src/main/lab/scenes/sse/ok.ts',
        "import { ok } from '../types'\nexport const x = ok\n"
      )
    ).toEqual([])
  })
})
