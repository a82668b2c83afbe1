// Rewrites the gRPC dissector's fixtures from real traffic (grpc-js client and server, curl):
//   npm run -s record:grpc
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { recordGrpcTraffic } from '../src/main/lab/testing/grpc-fixtures'

const dir = path.join(__dirname, '..', 'src', 'main', 'lab', 'protocols', 'grpc', 'fixtures')

void recordGrpcTraffic().then(
  (recordings) => {
    for (const r of recordings) {
      const file = path.join(dir, `${r.name}.json`)
      writeFileSync(file, JSON.stringify(r, null, 1) + '\n')
      const bytes = r.chunks.reduce((n, c) => n + c.hex.length / 2, 0)
      console.log(`${path.relative(process.cwd(), file)}: ${r.chunks.length} chunks, ${bytes} bytes`)
    }
    process.exit(0)
  },
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  }
)
