// The ZeroMQ lesson's moments: PUB/SUB with the filtering at the publisher (and the same through
// MQTT's broker), the slow joiner's lost messages counted from the wire, REQ/REP's lockstep with
// libzmq refusing a second request, and PUSH/PULL sharing jobs in turn. Checkpoint answers are
// read from the frames each step put on the wire.
import type { LabEvent } from '../../../../shared/events'
import { ok } from '../types'
import type { SceneContext } from '../context'
import { CHECKPOINTS } from './checkpoints'
import { delay, type Member, type ZmqLesson } from './lesson'

type Result = ReturnType<typeof ok>

const MESSAGES = ['sensor.temp 21.5', 'sensor.umid 55', 'alarme fogo na sala 101']

export class Moments {
  constructor(
    private readonly ctx: SceneContext,
    private readonly l: ZmqLesson
  ) {}

  private note(key: string, en: string, pt: string, level: 'info' | 'warn' | 'error' = 'info'): void {
    this.ctx.note(key, { en, pt }, level)
  }

  /** Texts of the messages the publisher sent on `m`'s connections among `events`. */
  private sentTo(m: Member, events: readonly LabEvent[]): string[] {
    return this.l.pdus(m, events).flatMap((p) => (p.dir === 's2c' && p.keys?.kind === 'message' ? [String(p.keys.body).replace(' | ', ' ')] : []))
  }

  async pubSub(): Promise<Result> {
    const l = this.l
    await l.removeAll()
    const temp = await l.addSubscriber('Painel temp', ['sensor.temp'])
    const umid = await l.addSubscriber('Painel umid', ['sensor.umid'])
    const all = await l.addSubscriber('Monitor (tudo)', [''])
    this.note(
      'zeromq.pubsub',
      'Three SUB sockets connected straight to the PUB: there is no broker. Each sent its subscription upstream in a SUBSCRIBE command, so the publisher knows what each one wants.',
      'Três sockets SUB conectados diretamente ao PUB: não há broker. Cada um enviou a sua assinatura rumo ao publisher num comando SUBSCRIBE, por isso o publisher sabe o que cada um quer.'
    )
    const want = (m: Member): number => MESSAGES.filter((x) => m.topics.some((t) => x.startsWith(t))).length
    await this.ctx.checkpoint(
      CHECKPOINTS.filtering,
      async () => {
        for (const msg of MESSAGES) await l.publish(msg)
        await l.until(() => [temp, umid, all].every((m) => m.received.length >= want(m)), 10_000, 'not every subscriber got its messages')
        await delay(50)
      },
      (events) => {
        const onWire = this.sentTo(temp, events)
        const everything = this.sentTo(all, events)
        const answer = onWire.length === 0 ? 'none' : onWire.length >= everything.length ? 'all' : 'matching'
        return {
          answer: [answer],
          explain: {
            en: `On Painel temp's connection the publisher sent ${onWire.length} of the ${everything.length} messages (${onWire.join(', ')}): it held Painel temp's subscription and filtered before sending. Nothing else crossed that wire.`,
            pt: `Na conexão do Painel temp o publisher enviou ${onWire.length} das ${everything.length} mensagens (${onWire.join(', ')}): guardava a assinatura do Painel temp e filtrou antes de enviar. Mais nada passou nesse fio.`
          }
        }
      }
    )
    return ok(undefined, { received: Object.fromEntries([temp, umid, all].map((m) => [m.name, m.received])) })
  }

  async compareMqtt(): Promise<Result> {
    const l = this.l
    for (const m of [...l.members.values()]) if (m.kind.startsWith('mqtt')) await l.remove(m.name)
    const subs = [await l.mqttClient('Painel temp (MQTT)', 'mqtt-sub', ['sensor/temp']), await l.mqttClient('Painel umid (MQTT)', 'mqtt-sub', ['sensor/umid']), await l.mqttClient('Monitor (MQTT, #)', 'mqtt-sub', ['#'])]
    const pub = await l.mqttClient('Sensor (MQTT)', 'mqtt-pub')
    this.note(
      'zeromq.mqtt',
      'The same with MQTT: every client, publisher included, connects to the broker; the broker holds the subscriptions, filters, and sends one copy per matching subscriber.',
      'O mesmo com MQTT: todos os clientes, publisher incluído, se conectam ao broker; o broker guarda as assinaturas, filtra e envia uma cópia a cada assinante cujo filtro corresponde.'
    )
    const topics = MESSAGES.map((m) => {
      const [t, ...rest] = m.split(' ')
      return [t.replace('.', '/'), rest.join(' ')] as const
    })
    const want = [1, 1, 3]
    for (const [t, v] of topics) await pub.mqtt!.publishAsync(t, v, { qos: 0 })
    await l.until(() => subs.every((m, i) => m.received.length >= want[i]), 10_000, 'not every MQTT subscriber got its messages')
    await delay(50)
    return ok(undefined, { received: Object.fromEntries(subs.map((m) => [m.name, m.received])) })
  }

  async slowJoiner(): Promise<Result> {
    const l = this.l
    for (const m of [...l.members.values()]) if (m.kind === 'sub') await l.remove(m.name)
    const monitor = await l.addSubscriber('Monitor (tudo)', [''])
    await this.synced(monitor)
    const N = 30
    this.note(
      'zeromq.slow-joiner',
      `“Atrasado” connects and subscribes to "tick" while the publisher, at the same moment, sends ${N} ticks, one every 5 ms. A PUB sends only to subscriptions it already has.`,
      `O “Atrasado” se conecta e assina "tick" enquanto o publisher, no mesmo instante, envia ${N} ticks, um a cada 5 ms. Um PUB só envia para as assinaturas que já tem.`
    )
    const r = await this.ctx.checkpoint(
      CHECKPOINTS.slowJoiner,
      async () => {
        const late = await l.addSubscriber('Atrasado', ['tick'], false)
        for (let i = 1; i <= N; i++) {
          await l.publish(`tick ${String(i).padStart(2, '0')}`)
          await delay(5)
        }
        await l.until(() => monitor.received.filter((x) => x.startsWith('tick')).length >= N, 10_000, 'the monitor did not get every tick')
        await delay(200)
        return late
      },
      (events, late) => {
        const got = this.sentTo(late, events).filter((x) => x.startsWith('tick'))
        const published = this.sentTo(monitor, events).filter((x) => x.startsWith('tick'))
        const lost = published.length - got.length
        const first = got[0] ?? 'none'
        return {
          answer: [got.length === 0 ? 'none' : lost > 0 ? 'lost-first' : 'all'],
          explain: {
            en: `The publisher sent ${published.length} ticks (the monitor, connected earlier, got them all); Atrasado got ${got.length}, starting at ${first}: ${lost} lost because its SUBSCRIBE had not reached the publisher yet. The usual fix: wait, or a handshake (the ZeroMQ guide's "node coordination").`,
            pt: `O publisher enviou ${published.length} ticks (o monitor, conectado antes, recebeu todos); o Atrasado recebeu ${got.length}, começando em ${first}: ${lost} perdidos porque o SUBSCRIBE dele ainda não tinha chegado ao publisher. A solução habitual: esperar, ou um handshake (a "coordenação de nós" do guia ZeroMQ).`
          }
        }
      }
    )
    const got = r.received.filter((x) => x.startsWith('tick'))
    const lost = N - got.length
    this.note('zeromq.slow-joiner.count', `Lost for Atrasado: ${lost} of ${N} ticks (published before its subscription arrived).`, `Perdidos para o Atrasado: ${lost} de ${N} ticks (publicados antes de a assinatura dele chegar).`, lost > 0 ? 'warn' : 'info')
    return ok(undefined, { published: N, received: got.length, lost, first: got[0] ?? null })
  }

  /**
   * The ZeroMQ guide's node coordination, for a subscriber to everything: the publisher sends
   * "sync" until `m` has received one, so its subscription is in force. Its SUBSCRIBE passing the
   * tap is not enough on a loaded machine: the publisher applies it only once libzmq's I/O thread
   * has handed it over, and ticks sent before that would be lost to the monitor too.
   */
  private async synced(m: Member): Promise<void> {
    const l = this.l
    const has = (): boolean => m.received.includes('sync')
    const until = Date.now() + 10_000
    while (!has()) {
      if (Date.now() > until) throw new Error(`${m.name} did not get the publisher's sync`)
      await l.publish('sync')
      await l.until(has, 100, '').catch(() => undefined)
    }
    this.note(
      'zeromq.slow-joiner.sync',
      `“${m.name}” subscribed to everything and waited until a "sync" from the publisher reached it: its subscription is in force.`,
      `O “${m.name}” assinou tudo e esperou até um "sync" do publisher chegar: a assinatura dele está valendo.`
    )
  }

  async reqRep(): Promise<Result> {
    const l = this.l
    const client = l.members.get('Cliente') ?? (await l.addRequester('Cliente'))
    this.note('zeromq.reqrep', 'REQ/REP: each request waits for its reply. The REQ adds an empty delimiter frame (the envelope) before the body; the REP sends it back.', 'REQ/REP: cada requisição espera a resposta. O REQ acrescenta um frame delimitador vazio (o envelope) antes do corpo; o REP o devolve.')
    const replies: string[] = []
    for (let i = 1; i <= 3; i++) replies.push(await l.request(client, `Ola ${i}`))
    // A second request before the reply: the REQ socket is in the "waiting for a reply" state.
    const req = client.zmq as import('zeromq').Request
    await req.send('pedido A')
    let refused = ''
    req.sendTimeout = 0 // refuse at once rather than wait for the socket to be ready to send
    try {
      await req.send('pedido B')
    } catch (err) {
      refused = `${(err as { code?: string }).code ?? 'error'}: ${(err as Error).message}`
    } finally {
      req.sendTimeout = 10_000
    }
    const [late] = await req.receive()
    replies.push(late.toString())
    this.note(
      'zeromq.lockstep',
      `Sending “pedido B” before the reply to “pedido A” arrived: libzmq refused it (${refused || 'accepted'}) and nothing went on the wire. REQ/REP is strict lockstep.`,
      `Enviar o “pedido B” antes de chegar a resposta ao “pedido A”: a libzmq recusou (${refused || 'aceito'}) e nada foi para o fio. REQ/REP é estritamente passo a passo.`,
      'warn'
    )
    return ok(undefined, { replies, refused })
  }

  async pushPull(jobs: number): Promise<Result> {
    const l = this.l
    for (const m of [...l.members.values()]) if (m.kind === 'pull') await l.remove(m.name)
    const workers = [await l.addWorker('Worker 1'), await l.addWorker('Worker 2'), await l.addWorker('Worker 3')]
    this.note(
      'zeromq.pushpull',
      `The ventilator (PUSH) sends ${jobs} jobs; three workers (PULL) are connected to it. PUSH fair-queues: each job goes to exactly one worker, in turn.`,
      `O ventilador (PUSH) envia ${jobs} tarefas; três workers (PULL) estão conectados a ele. O PUSH reparte em rodízio: cada tarefa vai para exatamente um worker.`
    )
    const split = await this.ctx.checkpoint(
      CHECKPOINTS.fairQueue,
      async () => {
        await this.sendJobs(jobs)
        return null
      },
      (events) => {
        const per = workers.map((w) => this.sentTo(w, events).filter((x) => x.startsWith('job')).length)
        const answer = per.every((n) => n === jobs) ? 'copies' : per.filter((n) => n > 0).length === 1 ? 'first' : 'turns'
        return {
          answer: [answer],
          explain: {
            en: `On the wire: ${workers.map((w, i) => `${w.name} ${per[i]}`).join(', ')}. Each job crossed exactly one connection, round-robin.`,
            pt: `No fio: ${workers.map((w, i) => `${w.name} ${per[i]}`).join(', ')}. Cada tarefa passou por exatamente uma conexão, em rodízio.`
          }
        }
      }
    )
    void split
    return ok(undefined, { received: Object.fromEntries(workers.map((w) => [w.name, w.received])) })
  }

  async sendJobs(jobs: number): Promise<void> {
    const l = this.l
    const workers = [...l.members.values()].filter((m) => m.kind === 'pull')
    if (workers.length === 0) throw new Error('no worker is connected: add one first')
    const before = workers.reduce((n, w) => n + w.received.length, 0)
    for (let i = 1; i <= jobs; i++) await l.send(l.servers.push, `job ${i}`)
    await l.until(() => workers.reduce((n, w) => n + w.received.length, 0) >= before + jobs, 10_000, 'not every job arrived')
    await delay(50)
  }
}
