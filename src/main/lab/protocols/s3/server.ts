// An S3-compatible server from npm: fauxqs (an S3/SQS/SNS emulator on Fastify), chosen because it
// answers suffix ranges (`bytes=-N`) correctly and gives multipart uploads S3's `"…-N"` ETag.
// Started with its own `buildApp` so it listens on 127.0.0.1 only (its `startFauxqs` binds every
// interface).
import { LOOPBACK } from '../../net/ports'
import { packageVersion } from '../../servers/package-version'

export const FAUXQS_LABEL = { en: 'S3 (fauxqs, an S3-compatible server from npm)', pt: 'S3 (fauxqs, um servidor compatível com S3, do npm)' }

export interface S3Server {
  port: number
  version: string
  close(cb?: () => void): void
}

export async function startS3Server(): Promise<S3Server> {
  const { buildApp } = await import('fauxqs')
  const app = buildApp({ logger: false, defaultRegion: 'us-east-1' })
  await app.listen({ port: 0, host: LOOPBACK })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    port,
    version: packageVersion('fauxqs'),
    close(cb) {
      void app.close().then(
        () => cb?.(),
        () => cb?.()
      )
    }
  }
}
