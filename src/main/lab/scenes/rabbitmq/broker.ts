// Where the RabbitMQ lesson's broker comes from (DESIGN.md, "Where each lesson's servers come
// from"): the RabbitMQ installed on this machine, started privately on a hidden port; or one the
// person already runs (a Docker container) at host:port; or, when neither is there, the session
// recorded from a real RabbitMQ.
import type { Localized } from '../../../../shared/events'
import { portAccepts, installLine, NotInstalled, startInstalled, StartFailed, type InstalledServer } from '../../servers/installed'
import { RABBITMQ, rabbitmqctl } from '../../protocols/amqp/server'
import type { SceneContext } from '../context'

export type BrokerMode = 'auto' | 'installed' | 'external' | 'recorded'

export interface LiveBroker {
  kind: 'installed' | 'external'
  host: string
  port: number
  version?: string
  /** `RabbitMQ 3.10.8 (installed)`, `RabbitMQ at 127.0.0.1:5673`. */
  label: string
  /** Milliseconds the installed broker took to start. */
  startedInMs?: number
  /** Stops and starts the RabbitMQ application (queues reloaded from disk); installed broker only. */
  restart?(): Promise<void>
  /** Set when the broker process ended on its own (what happened, what to do). */
  died?: Localized
}

export interface RecordedBroker {
  kind: 'recorded'
  /** Why the live broker is not used. */
  reason: Localized
  level: 'warn' | 'error'
}

/** The one-line install command for each OS, for notes and hints. */
export const INSTALL: Localized = {
  en: `Linux: ${RABBITMQ.install.linux} · macOS: ${RABBITMQ.install.macos} · Docker: docker run -d -p 5673:5672 rabbitmq:3, then set the broker address to 127.0.0.1:5673`,
  pt: `Linux: ${RABBITMQ.install.linux} · macOS: ${RABBITMQ.install.macos} · Docker: docker run -d -p 5673:5672 rabbitmq:3 e indique o endereço 127.0.0.1:5673`
}

export function parseAddress(address: string): { host: string; port: number } | null {
  const m = /^\s*\[?([^\]\s]+?)\]?:(\d{1,5})\s*$/.exec(address)
  if (!m) return null
  const port = Number(m[2])
  return port > 0 && port < 65536 ? { host: m[1], port } : null
}

/** The last lines of a server's output, on one line (for a note). */
const lastLines = (output: string, n = 6): string =>
  output
    .trim()
    .split('\n')
    .slice(-n)
    .map((l) => l.trim())
    .join(' | ')

/** Starts (or finds) the broker the mode asks for, narrating progress while RabbitMQ starts. */
export async function obtainBroker(ctx: SceneContext, mode: BrokerMode, address: string, env: NodeJS.ProcessEnv = process.env): Promise<LiveBroker | RecordedBroker> {
  if (mode === 'recorded') return { kind: 'recorded', reason: { en: 'You chose the recorded session.', pt: 'Você escolheu a sessão gravada.' }, level: 'warn' }
  if (mode === 'external') {
    const to = parseAddress(address)
    if (!to) throw new Error(`"${address}" is not host:port (for example 127.0.0.1:5673)`)
    if (to.host === '127.0.0.1' || to.host === 'localhost') {
      if (!(await portAccepts(to.port, 2000)))
        throw new Error(`nothing accepts connections on ${to.host}:${to.port}. Start your RabbitMQ first (docker run -d -p ${to.port}:5672 rabbitmq:3) or pick another broker source.`)
    }
    return { kind: 'external', host: to.host, port: to.port, label: `RabbitMQ at ${to.host}:${to.port}` }
  }
  let lastNote = -1
  try {
    const server = await startInstalled(RABBITMQ, {
      env,
      onProgress: (ms) => {
        const s = Math.floor(ms / 1000)
        if (s === lastNote) return
        lastNote = s
        ctx.note(
          'rabbitmq.starting',
          {
            en: `Starting RabbitMQ (Erlang) on a private port… ${s} s. It usually takes 4 to 10 s.`,
            pt: `Iniciando o RabbitMQ (Erlang) numa porta privada… ${s} s. Costuma levar de 4 a 10 s.`
          }
        )
      }
    })
    return liveInstalled(ctx, server)
  } catch (err) {
    if (err instanceof NotInstalled) {
      if (mode === 'installed') throw new Error(`RabbitMQ is not installed on this machine. Install it (${installLine(RABBITMQ)}) or choose the recorded session.`, { cause: err })
      return {
        kind: 'recorded',
        reason: { en: `RabbitMQ is not installed on this machine.`, pt: `O RabbitMQ não está instalado nesta máquina.` },
        level: 'warn'
      }
    }
    if (err instanceof StartFailed) {
      // The launcher's message, without the output it quotes (quoted below on one line).
      const why = err.message.split('\n')[0].replace(/\s*Its last output:\s*$/, '')
      const tail = lastLines(err.output)
      if (mode === 'installed') throw new Error(`${why} Its last output:\n${tail}`, { cause: err })
      return {
        kind: 'recorded',
        reason: {
          en: `RabbitMQ is installed but did not start: ${why} Its last output: ${tail}. What to do: check that the disk has space and that \`rabbitmq-server\` runs from a terminal; meanwhile this is the recorded session.`,
          pt: `O RabbitMQ está instalado mas não iniciou: ${why} A última saída: ${tail}. O que fazer: verifique se há espaço em disco e se \`rabbitmq-server\` inicia num terminal; enquanto isso, esta é a sessão gravada.`
        },
        level: 'error'
      }
    }
    throw err
  }
}

function liveInstalled(ctx: SceneContext, server: InstalledServer): LiveBroker {
  let stopping = false
  let restarting = false
  const broker: LiveBroker = {
    kind: 'installed',
    host: '127.0.0.1',
    port: server.port,
    ...(server.version ? { version: server.version } : {}),
    label: `RabbitMQ ${server.version ?? ''}`.trim(),
    startedInMs: server.startedInMs,
    async restart() {
      restarting = true
      try {
        await rabbitmqctl(server, ['stop_app'])
        await rabbitmqctl(server, ['start_app'])
        // start_app returns when the application is up; wait for the listener too.
        for (let i = 0; i < 100 && !(await portAccepts(server.port)); i++) await new Promise((r) => setTimeout(r, 100))
      } finally {
        restarting = false
      }
    }
  }
  ctx.onStop(async () => {
    stopping = true
    await server.stop()
  })
  void server.exited.then(({ code, signal, output }) => {
    if (stopping) return
    const how = signal ? `signal ${signal}` : `exit code ${code}`
    broker.died = {
      en: `RabbitMQ stopped on its own (${how}${restarting ? ', during a restart' : ''}). Its last output: ${lastLines(output, 4)}. What to do: start the lesson again (Wirelab starts a fresh RabbitMQ); if it keeps stopping, run \`rabbitmq-server\` in a terminal to see why.`,
      pt: `O RabbitMQ parou sozinho (${how}${restarting ? ', durante um reinício' : ''}). A última saída: ${lastLines(output, 4)}. O que fazer: inicie a aula de novo (o Wirelab inicia um RabbitMQ novo); se continuar parando, execute \`rabbitmq-server\` num terminal para ver por quê.`
    }
    ctx.note('rabbitmq.died', broker.died, 'error')
  })
  return broker
}
