// The RabbitMQ lesson's moments: the same message routed three ways, two workers taking turns, a
// slow worker hogging with a big prefetch, a nack that requeues, and durable vs transient across a
// broker restart. Checkpoint answers are read from the real frames of each step.
import type { LabEvent, PduEvent } from '../../../../shared/events'
import { ok } from '../types'
import type { SceneContext } from '../context'
import { CHECKPOINTS } from './checkpoints'
import { delay, type Member, type RabbitLesson } from './lesson'

type Result = ReturnType<typeof ok>

const amqpPdus = (events: readonly LabEvent[], method: string): PduEvent[] =>
  events.filter((e): e is PduEvent => e.kind === 'pdu' && e.protocol === 'amqp' && e.keys?.method === method)

/** conn id → node id, from the whole session (connections opened before a step). */
function connOwners(ctx: SceneContext): Map<string, string> {
  const out = new Map<string, string>()
  for (const e of ctx.session.events) if (e.kind === 'conn.open') out.set(e.conn, e.from)
  return out
}

/** The deliveries in `events`: who (member name) got which body, in order. */
function deliveries(ctx: SceneContext, lesson: RabbitLesson, events: readonly LabEvent[]): { member: Member; body: string; key: string; redelivered: boolean }[] {
  const owners = connOwners(ctx)
  const byNode = new Map([...lesson.members.values()].map((m) => [m.node, m]))
  return amqpPdus(events, 'Basic.Deliver').flatMap((p) => {
    const member = byNode.get(owners.get(p.conn) ?? '')
    return member ? [{ member, body: String(p.keys?.body ?? ''), key: String(p.keys?.routingKey ?? ''), redelivered: p.keys?.redelivered === true }] : []
  })
}

const list = (xs: string[], and: string): string => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} ${and} ${xs[xs.length - 1]}`)

export class Moments {
  constructor(
    private readonly ctx: SceneContext,
    private readonly lesson: RabbitLesson
  ) {}

  private note(key: string, en: string, pt: string, level: 'info' | 'warn' | 'error' = 'info'): void {
    this.ctx.note(key, { en, pt }, level)
  }

  async routeThreeWays(): Promise<Result> {
    const l = this.lesson
    await l.reset()
    const queues = ['q.painel-101', 'q.historico', 'q.alarmes']
    for (const q of queues) await l.declareQueue(q)
    await l.declareExchange('sensores.direct', 'direct')
    await l.declareExchange('sensores.fanout', 'fanout')
    await l.declareExchange('sensores.topic', 'topic')
    const bindings: [string, string, string][] = [
      ['q.painel-101', 'sensores.direct', 'sala.101.temp'],
      ['q.historico', 'sensores.direct', 'sala.102.temp'],
      ['q.alarmes', 'sensores.direct', 'alarme'],
      ...queues.map((q): [string, string, string] => [q, 'sensores.fanout', '']),
      ['q.painel-101', 'sensores.topic', 'sala.101.*'],
      ['q.historico', 'sensores.topic', '*.*.temp'],
      ['q.alarmes', 'sensores.topic', 'alarme.#']
    ]
    for (const [q, e, k] of bindings) await l.bind(q, e, k)
    await l.addConsumer('Painel 101', 'q.painel-101', 10, 0)
    await l.addConsumer('Histórico', 'q.historico', 10, 0)
    await l.addConsumer('Alarmes', 'q.alarmes', 10, 0)
    const sensor = await l.addProducer('Sensor 101')
    const key = 'sala.101.temp'
    const routed: Record<string, string[]> = {}
    this.note(
      'rabbitmq.direct',
      `Direct exchange: the routing key must equal a binding key. "${key}" equals only q.painel-101's binding.`,
      `Exchange direct: a routing key tem de ser igual a uma binding key. "${key}" só é igual ao binding de q.painel-101.`
    )
    routed.direct = await l.publish(sensor, 'sensores.direct', key, '21.5')
    this.note('rabbitmq.fanout', 'Fanout exchange: the key is ignored; every bound queue gets a copy.', 'Exchange fanout: a chave é ignorada; cada fila vinculada recebe uma cópia.')
    routed.fanout = await l.publish(sensor, 'sensores.fanout', key, '21.5')
    this.note(
      'rabbitmq.topic',
      'Topic exchange: binding keys are patterns of words separated by dots: * is exactly one word, # zero or more.',
      'Exchange topic: as binding keys são padrões de palavras separadas por pontos: * é exatamente uma palavra, # zero ou mais.'
    )
    routed.topic = await this.ctx.checkpoint(
      CHECKPOINTS.topic,
      () => l.publish(sensor, 'sensores.topic', key, '21.5'),
      (events) => {
        const got = [...new Set(deliveries(this.ctx, l, events).map((d) => d.member.queue ?? ''))].sort()
        return {
          answer: got,
          explain: {
            en: `RabbitMQ delivered it to ${list(got, 'and')}: sala.101.* and *.*.temp match sala.101.temp word by word; alarme.# does not (word 1: "alarme" ≠ "sala").`,
            pt: `O RabbitMQ a entregou a ${list(got, 'e')}: sala.101.* e *.*.temp correspondem a sala.101.temp palavra a palavra; alarme.# não (palavra 1: "alarme" ≠ "sala").`
          }
        }
      }
    )
    return ok(undefined, { routed })
  }

  async workQueue(): Promise<Result> {
    const l = this.lesson
    await l.reset()
    await l.declareQueue('tarefas')
    await l.addConsumer('Worker A', 'tarefas', 1, 150)
    await l.addConsumer('Worker B', 'tarefas', 1, 150)
    const p = await l.addProducer('Produtor')
    this.note(
      'rabbitmq.work-queue',
      'Two consumers on one queue, each with prefetch 1 (Basic.Qos): RabbitMQ sends each message to one of them, in turn, and waits for an ack before sending that worker another.',
      'Dois consumidores na mesma fila, cada um com prefetch 1 (Basic.Qos): o RabbitMQ envia cada mensagem a um deles, alternadamente, e espera o ack antes de enviar outra a esse worker.'
    )
    await l.publish(p, '', 'tarefas', 'tarefa 1')
    const turns = await this.ctx.checkpoint(
      CHECKPOINTS.workQueue,
      async () => {
        for (let i = 2; i <= 6; i++) await l.publish(p, '', 'tarefas', `tarefa ${i}`)
        return null
      },
      (events) => {
        const got = deliveries(this.ctx, l, events)
        const who = got.filter((d) => d.body === 'tarefa 2').map((d) => d.member.name)
        const a = got.filter((d) => d.member.name === 'Worker A').map((d) => d.body.replace('tarefa ', ''))
        const b = got.filter((d) => d.member.name === 'Worker B').map((d) => d.body.replace('tarefa ', ''))
        return {
          answer: who.length > 1 ? ['both'] : who,
          explain: {
            en: `One queue, one copy per message: ${who.join(', ')} got “tarefa 2”. Of tasks 2–6, Worker A got ${a.join(', ') || 'none'} and Worker B ${b.join(', ') || 'none'}: round-robin.`,
            pt: `Uma fila, uma cópia por mensagem: ${who.join(', ')} recebeu a “tarefa 2”. Das tarefas 2–6, o Worker A recebeu ${a.join(', ') || 'nenhuma'} e o Worker B ${b.join(', ') || 'nenhuma'}: em rodízio (round-robin).`
          }
        }
      }
    )
    void turns
    const counts = Object.fromEntries([...l.members.values()].filter((m) => m.role === 'consumer').map((m) => [m.name, m.received.map((r) => r.body)]))
    return ok(undefined, { received: counts })
  }

  /** Publishes `n` tasks at once and waits until all are acked. */
  private async burst(p: Member, n: number, label: string): Promise<void> {
    const l = this.lesson
    const before = l.totalReceived()
    for (let i = 1; i <= n; i++) await new Promise<void>((resolve, reject) => p.confirm!.publish('', 'tarefas', Buffer.from(`${label} ${i}`), {}, (err) => (err ? reject(new Error(String(err))) : resolve())))
    await l.until(() => l.totalReceived() >= before + n && l.settled(), 30_000, 'not every task was processed')
  }

  async prefetchHog(): Promise<Result> {
    const l = this.lesson
    await l.reset()
    await l.declareQueue('tarefas')
    const slow = await l.addConsumer('Lento (prefetch 10)', 'tarefas', 10, 500)
    const fast = await l.addConsumer('Rápido (prefetch 1)', 'tarefas', 1, 20)
    const p = await l.addProducer('Produtor')
    this.note(
      'rabbitmq.prefetch.big',
      'Ten tasks at once. The slow worker (0.5 s per task) allows 10 unacked messages, the fast one (20 ms) only 1. Watch the unacked counts.',
      'Dez tarefas de uma vez. O worker lento (0,5 s por tarefa) aceita 10 mensagens sem ack, o rápido (20 ms) só 1. Observe as contagens sem ack.'
    )
    let t = performance.now()
    await this.burst(p, 10, 'tarefa')
    const first = { slow: slow.received.length, fast: fast.received.length, seconds: (performance.now() - t) / 1000 }
    this.note(
      'rabbitmq.prefetch.big.result',
      `The slow worker took ${first.slow} of the 10 tasks and held them while working; the fast one did ${first.fast} and then waited. Total ${first.seconds.toFixed(1)} s.`,
      `O worker lento ficou com ${first.slow} das 10 tarefas e as segurou enquanto trabalhava; o rápido fez ${first.fast} e depois ficou esperando. Total ${first.seconds.toFixed(1)} s.`
    )
    await l.remove(slow.name)
    const fair = await l.addConsumer('Lento (prefetch 1)', 'tarefas', 1, 500)
    const fastBefore = fast.received.length
    this.note('rabbitmq.prefetch.one', 'Again with prefetch 1 for both: a worker gets a new task only after acking the last one.', 'De novo com prefetch 1 para ambos: um worker só recebe nova tarefa depois de confirmar a anterior.')
    t = performance.now()
    await this.burst(p, 10, 'tarefa b')
    const second = { slow: fair.received.length, fast: fast.received.length - fastBefore, seconds: (performance.now() - t) / 1000 }
    this.note(
      'rabbitmq.prefetch.one.result',
      `Now the slow worker took ${second.slow} and the fast one ${second.fast}: ${second.seconds.toFixed(1)} s instead of ${first.seconds.toFixed(1)} s.`,
      `Agora o worker lento ficou com ${second.slow} e o rápido com ${second.fast}: ${second.seconds.toFixed(1)} s em vez de ${first.seconds.toFixed(1)} s.`
    )
    return ok(undefined, { prefetch10: first, prefetch1: second })
  }

  async nackRequeue(): Promise<Result> {
    const l = this.lesson
    await l.reset()
    await l.declareQueue('pedidos')
    const a = await l.addConsumer('Worker A', 'pedidos', 1, 100)
    await l.addConsumer('Worker B', 'pedidos', 1, 100)
    const p = await l.addProducer('Loja')
    a.nackNext = 1
    this.note(
      'rabbitmq.nack',
      'Worker A will refuse the next message (Basic.Nack with requeue): RabbitMQ puts it back in the queue and delivers it again, with redelivered set.',
      'O Worker A vai recusar a próxima mensagem (Basic.Nack com requeue): o RabbitMQ a devolve à fila e a entrega de novo, com redelivered.'
    )
    const before = l.totalReceived()
    await new Promise<void>((resolve, reject) => p.confirm!.publish('', 'pedidos', Buffer.from('pedido 42'), {}, (err) => (err ? reject(new Error(String(err))) : resolve())))
    await l.until(() => l.totalReceived() >= before + 2 && l.settled(), 10_000, 'the message was not delivered again')
    const got = [...l.members.values()].flatMap((m) => m.received.map((r) => `${m.name}: ${r.body}${r.redelivered ? ' (redelivered)' : ''} → ${r.outcome ?? ''}`))
    return ok(undefined, { received: got })
  }

  async durableRestart(): Promise<Result> {
    const l = this.lesson
    if (!l.broker.restart)
      return {
        ok: false,
        message: {
          en: 'Restarting needs the RabbitMQ Wirelab started. With your own RabbitMQ, restart it yourself (docker restart …) and look at the queues again.',
          pt: 'Reiniciar requer o RabbitMQ que o Wirelab iniciou. Com o seu próprio RabbitMQ, reinicie o broker (docker restart …) e veja as filas de novo.'
        }
      }
    await l.reset()
    await l.declareQueue('pedidos.duraveis', true)
    await l.declareQueue('cache.temporaria', false)
    const p = await l.addProducer('Loja')
    await l.publish(p, '', 'pedidos.duraveis', 'pedido 1', true)
    await l.publish(p, '', 'pedidos.duraveis', 'pedido 2', false)
    await l.publish(p, '', 'cache.temporaria', 'cache 1', true)
    this.note(
      'rabbitmq.durable',
      'pedidos.duraveis is durable (its definition is on disk); cache.temporaria is not. “pedido 1” and “cache 1” are persistent (delivery mode 2), “pedido 2” transient (1). Now RabbitMQ restarts.',
      'pedidos.duraveis é durável (a definição fica no disco); cache.temporaria não. “pedido 1” e “cache 1” são persistentes (delivery mode 2), “pedido 2” transitória (1). Agora o RabbitMQ reinicia.'
    )
    const left = await this.ctx.checkpoint(
      CHECKPOINTS.durable,
      async () => {
        await this.restart()
        const inspector = await l.connect('Inspetor', 'consumer')
        const ch = inspector.ch
        const found: string[] = []
        const durable = await ch.checkQueue('pedidos.duraveis')
        for (let i = 0; i < durable.messageCount; i++) {
          const m = await ch.get('pedidos.duraveis', { noAck: true })
          if (m) found.push(m.content.toString())
        }
        let tempExists = true
        try {
          await ch.checkQueue('cache.temporaria')
        } catch {
          tempExists = false // 404 NOT_FOUND closes the channel
        }
        l.queues.delete('cache.temporaria')
        return { found, tempExists }
      },
      (_events, r) => ({
        answer: r.found,
        explain: {
          en: `After the restart pedidos.duraveis holds ${r.found.map((f) => `“${f}”`).join(', ') || 'nothing'}; the transient “pedido 2” is gone, and cache.temporaria ${r.tempExists ? 'still exists' : 'no longer exists (Queue.Declare passive → 404 NOT_FOUND)'}, so “cache 1” went with it.`,
          pt: `Depois do reinício pedidos.duraveis tem ${r.found.map((f) => `“${f}”`).join(', ') || 'nada'}; a “pedido 2”, transitória, desapareceu, e cache.temporaria ${r.tempExists ? 'ainda existe' : 'já não existe (Queue.Declare passivo → 404 NOT_FOUND)'}, e a “cache 1” foi com ela.`
        }
      })
    )
    return ok(undefined, left)
  }

  /** stop_app / start_app: every connection is closed by the broker (320 CONNECTION_FORCED), queues reload from disk. */
  async restart(): Promise<void> {
    const l = this.lesson
    if (!l.broker.restart) throw new Error('only the RabbitMQ Wirelab started can be restarted from here')
    this.note(
      'rabbitmq.restart',
      'rabbitmqctl stop_app: RabbitMQ closes every connection (Connection.Close 320 CONNECTION_FORCED) and stops; start_app brings it back with what is on disk.',
      'rabbitmqctl stop_app: o RabbitMQ fecha todas as conexões (Connection.Close 320 CONNECTION_FORCED) e para; start_app o inicia de novo com o que está no disco.'
    )
    const t = performance.now()
    await l.broker.restart()
    for (const m of [...l.members.values()]) if (m.closed) l.members.delete(m.name)
    await delay(50)
    this.note('rabbitmq.restarted', `RabbitMQ is back (${((performance.now() - t) / 1000).toFixed(1)} s).`, `O RabbitMQ voltou (${((performance.now() - t) / 1000).toFixed(1)} s).`)
  }
}
