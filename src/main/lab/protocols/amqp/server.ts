// The AMQP 0-9-1 broker: the RabbitMQ installed on this machine (no 0-9-1 broker ships on npm),
// started by the installed-server launcher as a private node: its own Erlang cookie (HOME), node
// name, port mapper (epmd) port and distribution port, every listener on 127.0.0.1, data and
// logs in the launcher's temporary folder, no plugins.
import { execFile } from 'node:child_process'
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { freePort, type InstalledServerSpec, type ServerDirs } from '../../servers/installed'

interface NodePorts {
  epmd: number
  dist: number
  ctl: number
}

const portsFile = (dataDir: string): string => path.join(dataDir, 'wirelab-ports.json')
const readPorts = (dataDir: string): NodePorts => JSON.parse(readFileSync(portsFile(dataDir), 'utf8')) as NodePorts

/** The node's environment: also what `rabbitmqctl` needs to reach it. */
export function rabbitEnv({ port, dataDir }: Pick<ServerDirs, 'port' | 'dataDir'>): Record<string, string> {
  const p = readPorts(dataDir)
  return {
    HOME: dataDir,
    RABBITMQ_NODENAME: `wirelab${port}@localhost`,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(p.dist),
    RABBITMQ_CTL_DIST_PORT_MIN: String(p.ctl),
    RABBITMQ_CTL_DIST_PORT_MAX: String(p.ctl),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    ERL_EPMD_PORT: String(p.epmd),
    RABBITMQ_MNESIA_BASE: path.join(dataDir, 'mnesia'),
    RABBITMQ_LOG_BASE: path.join(dataDir, 'log'),
    RABBITMQ_LOGS: '-',
    RABBITMQ_CONFIG_FILE: path.join(dataDir, 'rabbitmq.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: path.join(dataDir, 'advanced.config'),
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dataDir, 'enabled_plugins'),
    RABBITMQ_CONF_ENV_FILE: path.join(dataDir, 'rabbitmq-env.conf'),
    // The distribution listener (rabbitmqctl talks to the node through it) on loopback only.
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}'
  }
}

/** The version in the installed path (`…/rabbitmq_server-3.10.8/sbin/…`, Homebrew's `…/rabbitmq/3.13.0/…`). */
export function versionFromPath(binary: string): string | undefined {
  let real = binary
  try {
    real = realpathSync(binary)
  } catch {
    // keep the path as found
  }
  return /(?:rabbitmq_server-|rabbitmq\/)(\d+\.\d+\.\d+)/.exec(real)?.[1]
}

/** `rabbitmqctl` next to the server program. */
export const ctlOf = (binary: string): string => path.join(path.dirname(binary), 'rabbitmqctl')

/** Runs `rabbitmqctl <args>` against the node started in `dirs`. */
export function rabbitmqctl(dirs: ServerDirs, args: string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(ctlOf(dirs.binary), args, { env: { ...process.env, ...rabbitEnv(dirs) }, timeout: timeoutMs, cwd: dirs.dataDir }, (err, stdout, stderr) => {
      if (err) reject(new Error(`rabbitmqctl ${args.join(' ')}: ${(stderr || stdout || err.message).trim().split('\n').slice(-4).join(' ')}`))
      else resolve(stdout)
    })
  })
}

export const RABBITMQ: InstalledServerSpec = {
  name: 'RabbitMQ',
  candidates: ['rabbitmq-server'],
  places: [
    '/usr/lib/rabbitmq/bin/rabbitmq-server',
    '/usr/sbin/rabbitmq-server',
    '/opt/homebrew/sbin/rabbitmq-server',
    '/usr/local/sbin/rabbitmq-server',
    '/usr/local/opt/rabbitmq/sbin/rabbitmq-server'
  ],
  // Debian and Ubuntu put a wrapper in /usr/sbin that re-runs the server as the `rabbitmq` user
  // (through su, with its output sent to /var/log): run the program it wraps instead.
  program(found) {
    const real = path.join(path.dirname(path.dirname(found)), 'lib', 'rabbitmq', 'bin', 'rabbitmq-server')
    return found !== real && existsSync(real) ? real : found
  },
  args: () => [],
  env: (o) => rabbitEnv(o),
  async prepare({ port, dataDir }) {
    const ports: NodePorts = { epmd: await freePort(), dist: await freePort(), ctl: await freePort() }
    writeFileSync(portsFile(dataDir), JSON.stringify(ports))
    writeFileSync(
      path.join(dataDir, 'rabbitmq.conf'),
      [
        `listeners.tcp.default = 127.0.0.1:${port}`,
        // Persistent messages are written at once, so a restart right after a publish finds them.
        'queue_index_embed_msgs_below = 4096',
        'log.console = true',
        'log.console.level = info',
        'log.file = false',
        ''
      ].join('\n')
    )
    writeFileSync(path.join(dataDir, 'advanced.config'), '[].\n')
    writeFileSync(path.join(dataDir, 'enabled_plugins'), '[].\n')
    writeFileSync(path.join(dataDir, 'rabbitmq-env.conf'), '')
  },
  startTimeoutMs: 60_000,
  install: {
    linux: 'sudo apt install rabbitmq-server',
    macos: 'brew install rabbitmq',
    windows: 'docker run -d --name rabbitmq -p 5672:5672 rabbitmq:3',
    docker: 'docker run -d --name rabbitmq -p 5672:5672 rabbitmq:3'
  },
  version: (binary) => Promise.resolve(versionFromPath(binary))
}
