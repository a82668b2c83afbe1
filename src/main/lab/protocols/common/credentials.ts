// The lessons' TLS certificate for "localhost": self-signed, generated on first run and kept under
// the OS temporary directory, never in the project. Used by every server that speaks TLS (HTTPS,
// HTTP/2 over TLS) and by the clients that trust it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generate } from 'selfsigned'

export interface Credentials {
  key: string
  cert: string
  /** Where they are stored. */
  dir: string
  /** True when this call generated them. */
  generated: boolean
}

export function certDir(): string {
  return join(tmpdir(), 'wirelab-tls')
}

/** The lesson's certificate for "localhost" (and 127.0.0.1), generated once and reused. */
export async function credentials(dir = certDir()): Promise<Credentials> {
  const keyFile = join(dir, 'localhost-key.pem')
  const certFile = join(dir, 'localhost-cert.pem')
  if (existsSync(keyFile) && existsSync(certFile)) {
    return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), dir, generated: false }
  }
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    notAfterDate: new Date(Date.now() + 365 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' }
        ]
      }
    ]
  })
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  writeFileSync(keyFile, pems.private, { mode: 0o600 })
  writeFileSync(certFile, pems.cert)
  return { key: pems.private, cert: pems.cert, dir, generated: true }
}
