// Lesson "MQTT pub/sub" (seed 004, "MQTT: O Protocolo de IoT"): a real broker (aedes) behind a
// tap on 1883, real mqtt.js publishers and subscribers the person adds, names and removes, and
// the sub-lessons as actions: wildcards, QoS 0/1/2 side by side, retained message, Last Will,
// persistent session, keep-alive, and what an MQTT 5 client gets from this broker.
import type net from 'node:net'
import type { MqttClient, IClientOptions } from 'mqtt'
import type { ParamDef, ClientHint } from '../../../../shared/scene'
import type { ParamValues } from '../../../../shared/events'
import { startBroker } from '../../protocols/mqtt/server'
import { connected, mqttOver } from '../../protocols/mqtt/client'
import { topicMatches, validFilter, validTopic } from '../../../../shared/protocols/mqtt-topic'
import type { SceneContext } from '../context'
import { LOOPBACK, lanAddresses } from '../../net/ports'
import { fail, ok, type SceneDef } from '../types'
import { clientScript } from '../client-scripts'

const PORT = 1883
const BROKER = { node: 'mqtt-broker', label: 'Broker (aedes)', role: 'broker' as const }

type Role = 'pub' | 'sub'

/** A built-in client. Node ids say the role (`pub:` / `sub:`) so views can place them before any traffic. */
interface Member {
  name: string
  role: Role
  node: string
  client: MqttClient
  socket: net.Socket
  filters: { filter: string; qos: 0 | 1 | 2 }[]
}

const qosOf = (v: unknown): 0 | 1 | 2 => {
  const n = Number(v)
  return n === 1 ? 1 : n === 2 ? 2 : 0
}

const slug = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'client'

const p = {
  name: { id: 'name', label: { en: 'Client name', pt: 'Nome do cliente' }, type: 'string', default: '' } satisfies ParamDef,
  filter: {
    id: 'filter',
    label: { en: 'Topic filter', pt: 'Filtro de tópico' },
    type: 'string',
    default: 'home/#',
    help: { en: '+ matches one level, # any number of levels (last only).', pt: '+ corresponde a um nível, # a vários níveis (só no fim).' }
  } satisfies ParamDef,
  topic: { id: 'topic', label: { en: 'Topic', pt: 'Tópico' }, type: 'string', default: 'home/livingroom/temperature' } satisfies ParamDef,
  payload: { id: 'payload', label: { en: 'Message', pt: 'Mensagem' }, type: 'string', default: '22.5' } satisfies ParamDef,
  qos: {
    id: 'qos',
    label: { en: 'QoS', pt: 'QoS' },
    type: 'select',
    default: '1',
    options: [
      { value: '0', label: { en: '0 — at most once', pt: '0 — no máximo uma vez' } },
      { value: '1', label: { en: '1 — at least once', pt: '1 — pelo menos uma vez' } },
      { value: '2', label: { en: '2 — exactly once', pt: '2 — exatamente uma vez' } }
    ]
  } satisfies ParamDef,
  retain: { id: 'retain', label: { en: 'Retain', pt: 'Reter (retain)' }, type: 'boolean', default: false } satisfies ParamDef,
  count: { id: 'count', label: { en: 'Messages', pt: 'Mensagens' }, type: 'number', default: 1000, min: 1, max: 100000 } satisfies ParamDef,
  rate: { id: 'rate', label: { en: 'Messages per second', pt: 'Mensagens por segundo' }, type: 'number', default: 1000, min: 1, max: 20000 } satisfies ParamDef,
  subscribers: { id: 'subscribers', label: { en: 'Subscribers', pt: 'Subscritores' }, type: 'number', default: 20, min: 1, max: 100 } satisfies ParamDef
}

export const mqtt: SceneDef = {
  info: {
    id: 'mqtt',
    group: 'mensageria',
    title: { en: 'MQTT pub/sub', pt: 'MQTT: publish/subscribe' },
    summary: {
      en: 'A real MQTT broker on port 1883: publishers and subscribers never know each other; the broker routes each PUBLISH to the subscriptions whose filter matches.',
      pt: 'Um broker MQTT real na porta 1883: publishers e subscritores não se conhecem; o broker encaminha cada PUBLISH para as subscrições cujo filtro corresponde.'
    },
    goal: {
      en: 'Topics are hierarchical; + matches one level and # many; QoS is chosen per leg (publisher → broker, broker → subscriber) and never exceeds what the subscription was granted; a retained message waits for late subscribers; a Last Will is published when a client vanishes without DISCONNECT.',
      pt: 'Os tópicos são hierárquicos; + corresponde a um nível e # a vários; o QoS é escolhido em cada troço (publisher → broker, broker → subscritor) e nunca excede o concedido à subscrição; uma mensagem retida espera por subscritores tardios; o Last Will é publicado quando um cliente desaparece sem DISCONNECT.'
    },
    params: [
      {
        id: 'specQos',
        label: { en: 'Downgrade QoS to the subscription (specification)', pt: 'Baixar o QoS ao da subscrição (especificação)' },
        type: 'boolean',
        default: true,
        help: {
          en: 'aedes 1.2 downgrades only when the filter equals the topic: a QoS 2 PUBLISH reaches a "lab/#" subscription granted QoS 1 at QoS 2. On: Wirelab makes the broker follow the specification. Off: the broker as it is.',
          pt: 'O aedes 1.2 só baixa o QoS quando o filtro é igual ao tópico: um PUBLISH QoS 2 chega a uma subscrição "lab/#" concedida com QoS 1 em QoS 2. Ligado: o Wirelab faz o broker seguir a especificação. Desligado: o broker tal como é.'
        }
      },
      p.topic,
      p.payload,
      p.qos,
      p.retain,
      {
        id: 'username',
        label: { en: 'Broker user name (optional)', pt: 'Utilizador do broker (opcional)' },
        type: 'string',
        default: '',
        help: {
          en: 'When set, every client must log in with this user name and password (useful when the broker is shared with a classroom).',
          pt: 'Quando definido, todos os clientes têm de se autenticar com este utilizador e palavra-passe (útil quando o broker é partilhado com a turma).'
        }
      },
      { id: 'password', label: { en: 'Broker password', pt: 'Palavra-passe do broker' }, type: 'string', default: '' }
    ],
    actions: [
      {
        id: 'demo',
        primary: true,
        label: { en: 'Fan-out: 1 publisher, 4 subscribers', pt: 'Distribuição: 1 publisher, 4 subscritores' },
        help: { en: 'Starts the seed’s sensor and four subscribers with different filters, then publishes once.', pt: 'Arranca o sensor do seed e quatro subscritores com filtros diferentes, e publica uma vez.' }
      },
      { id: 'add-publisher', label: { en: 'Add publisher', pt: 'Adicionar publisher' }, params: [{ ...p.name, default: 'Sensor' }] },
      { id: 'add-subscriber', label: { en: 'Add subscriber', pt: 'Adicionar subscritor' }, params: [{ ...p.name, default: 'Dashboard' }, p.filter, { ...p.qos, default: '1' }] },
      { id: 'remove-client', label: { en: 'Remove client', pt: 'Remover cliente' }, params: [p.name] },
      { id: 'publish', label: { en: 'Publish', pt: 'Publicar' }, params: [{ ...p.name, help: { en: 'Publisher to use (empty: the first one).', pt: 'Publisher a usar (vazio: o primeiro).' } }, p.topic, p.payload, p.qos, p.retain] },
      { id: 'wildcards', label: { en: 'Wildcards: + and #', pt: 'Wildcards: + e #' } },
      { id: 'qos-compare', label: { en: 'QoS 0, 1 and 2 side by side', pt: 'QoS 0, 1 e 2 lado a lado' } },
      { id: 'retained', label: { en: 'Retained message for a late subscriber', pt: 'Mensagem retida para um subscritor tardio' } },
      { id: 'will', label: { en: 'Last Will: kill a client', pt: 'Last Will: matar um cliente' } },
      { id: 'persistent', label: { en: 'Persistent session: offline queue', pt: 'Sessão persistente: fila offline' } },
      { id: 'keepalive', label: { en: 'Keep-alive: PINGREQ / PINGRESP', pt: 'Keep-alive: PINGREQ / PINGRESP' } },
      { id: 'mqtt5', label: { en: 'Try an MQTT 5 client', pt: 'Tentar um cliente MQTT 5' } },
      { id: 'burst', label: { en: 'Load: many messages per second', pt: 'Carga: muitas mensagens por segundo' }, params: [p.count, p.rate, p.subscribers] },
      { id: 'reset', label: { en: 'Remove all clients', pt: 'Remover todos os clientes' } }
    ],
    views: ['fanout', 'topics', 'sequence', 'bytes', 'packets'],
    ports: [{ name: 'mqtt', transport: 'tcp', preferred: PORT }]
  },

  async start(ctx, params) {
    const username = String(params.username ?? '').trim()
    const password = String(params.password ?? '')
    const credentials = username ? { username, password } : undefined
    const broker = await startBroker({ specQos: params.specQos !== false, ...(credentials ? { credentials } : {}) })
    ctx.onStop(() => broker.close())
    const tap = await ctx.tcpTap({
      name: 'mqtt',
      preferredPort: PORT,
      target: { host: '127.0.0.1', port: broker.port },
      dissector: 'mqtt',
      server: BROKER,
      externalLabel: 'MQTT client'
    })
    const port = tap.port.port
    labelOutsideClients(ctx)
    if (ctx.host !== LOOPBACK) {
      const addresses = lanAddresses().map((a) => `${a}:${port}`)
      ctx.note(
        'mqtt.classroom',
        {
          en: `Classroom mode: the broker accepts connections from the network on ${addresses.join(', ') || `${ctx.host}:${port}`}. Anyone on this network can publish and subscribe${credentials ? ' with the user name and password' : ': set a user name and password'}. Stop the lesson to close it.`,
          pt: `Modo sala de aula: o broker aceita ligações da rede em ${addresses.join(', ') || `${ctx.host}:${port}`}. Qualquer pessoa nesta rede pode publicar e subscrever${credentials ? ' com o utilizador e a palavra-passe' : ': defina um utilizador e palavra-passe'}. Pare a lição para o fechar.`
        },
        'warn'
      )
    }
    const lesson = new MqttLesson(ctx, port, credentials)
    ctx.onStop(() => lesson.closeAll())

    const auth = credentials ? ` -u ${shellQuote(credentials.username)} -P ${shellQuote(credentials.password)}` : ''
    const hints = (): ClientHint[] => [
      { title: { en: 'Subscribe to everything (mosquitto_sub)', pt: 'Subscrever tudo (mosquitto_sub)' }, command: `mosquitto_sub -h 127.0.0.1 -p ${port}${auth} -t '#' -v` },
      { title: { en: 'Publish (mosquitto_pub)', pt: 'Publicar (mosquitto_pub)' }, command: `mosquitto_pub -h 127.0.0.1 -p ${port}${auth} -t home/livingroom/temperature -m 23.1 -q 1` },
      { title: { en: 'Seed publisher.py (paho-mqtt)', pt: 'publisher.py do seed (paho-mqtt)' }, command: 'python3 publisher.py', file: { name: 'publisher.py', language: 'python', content: clientScript('publisher.py', { port }, PORT) } },
      { title: { en: 'Seed subscriber.py (paho-mqtt)', pt: 'subscriber.py do seed (paho-mqtt)' }, command: 'python3 subscriber.py', file: { name: 'subscriber.py', language: 'python', content: clientScript('subscriber.py', { port }, PORT) } }
    ]

    return {
      ports: [tap.port],
      hints,
      action: (id, args) => lesson.action(id, args),
      async script() {
        for (const id of ['demo', 'wildcards', 'qos-compare', 'retained', 'will', 'persistent', 'keepalive', 'mqtt5']) {
          const r = await lesson.action(id, params)
          if (!r.ok) throw new Error(`${id}: ${r.message?.en ?? 'failed'}`)
        }
        await lesson.closeAll()
      }
    }
  }
}

export class MqttLesson {
  readonly members = new Map<string, Member>()

  constructor(
    private readonly ctx: SceneContext,
    readonly port: number,
    private readonly credentials?: { username: string; password: string }
  ) {}

  private note(key: string, en: string, pt: string, level: 'info' | 'warn' | 'error' = 'info'): void {
    this.ctx.note(key, { en, pt }, level)
  }

  /** Connects a real mqtt.js client as its own actor. */
  async connect(name: string, role: Role, options: IClientOptions = {}, nodeId?: string, setup?: (c: MqttClient) => void): Promise<{ client: MqttClient; socket: net.Socket; node: string; sessionPresent: boolean }> {
    const node = nodeId ?? `${role}:${slug(name)}`
    // Built-in clients reach the broker over loopback, or the address classroom mode bound to.
    const host = this.ctx.host === '0.0.0.0' || this.ctx.host === '::' ? LOOPBACK : this.ctx.host
    const socket = await this.ctx.connectTcp({ node, label: name }, this.port, host)
    const login = this.credentials ? { username: this.credentials.username, password: this.credentials.password } : {}
    const client = mqttOver(socket, { clientId: `wirelab-${slug(name)}`, keepalive: 60, ...login, ...options })
    client.on('error', () => undefined) // refusals are awaited below; later errors show in the log
    setup?.(client)
    const connack = await connected(client)
    return { client, socket, node, sessionPresent: connack.sessionPresent }
  }

  async add(name: string, role: Role, filters: Member['filters'] = []): Promise<Member> {
    const clean = name.trim()
    if (!clean) throw new Error('a client needs a name')
    if (this.members.has(clean)) await this.remove(clean)
    const { client, socket, node } = await this.connect(clean, role)
    const m: Member = { name: clean, role, node, client, socket, filters }
    this.members.set(clean, m)
    if (filters.length) await client.subscribeAsync(Object.fromEntries(filters.map((f) => [f.filter, { qos: f.qos }])))
    return m
  }

  async remove(name: string): Promise<boolean> {
    const m = this.members.get(name)
    if (!m) return false
    this.members.delete(name)
    await m.client.endAsync().catch(() => undefined)
    m.socket.destroy()
    return true
  }

  async closeAll(): Promise<void> {
    for (const name of [...this.members.keys()]) await this.remove(name)
  }

  /** Publishes and resolves when the QoS flow is complete (PUBACK, or PUBCOMP), then lets deliveries land. */
  async publish(m: Member, topic: string, payload: string, qos: 0 | 1 | 2, retain = false): Promise<void> {
    const arrived = this.deliveriesOf([{ topic, payload }])
    await m.client.publishAsync(topic, payload, { qos, retain })
    await withTimeout(arrived, 10_000, `not every matching subscriber received ${topic}`).catch(() => undefined)
    await this.settle()
  }

  /**
   * Resolves once every built-in subscriber whose filters match has received each message (the tap
   * records bytes before passing them on, so by then the deliveries are in the session too).
   */
  deliveriesOf(messages: { topic: string; payload: string }[]): Promise<void> {
    const waits: Promise<void>[] = []
    for (const m of this.members.values()) {
      const wanted = new Map<string, number>()
      for (const x of messages)
        if (m.filters.some((f) => topicMatches(f.filter, x.topic))) wanted.set(`${x.topic}\u0000${x.payload}`, (wanted.get(`${x.topic}\u0000${x.payload}`) ?? 0) + 1)
      let left = [...wanted.values()].reduce((a, b) => a + b, 0)
      if (left === 0) continue
      waits.push(
        new Promise<void>((resolve) => {
          const on = (t: string, payload: Buffer): void => {
            const key = `${t}\u0000${payload.toString()}`
            const n = wanted.get(key) ?? 0
            if (n === 0) return
            wanted.set(key, n - 1)
            if (--left === 0) {
              m.client.off('message', on)
              resolve()
            }
          }
          m.client.on('message', on)
        })
      )
    }
    return Promise.all(waits).then(() => undefined)
  }

  /**
   * Waits until the exchange has played out: loopback traffic comes in bursts microseconds apart,
   * so once the session log has been quiet for a moment every delivery and acknowledgement is in.
   */
  settle(quietMs = 40, maxMs = 3000): Promise<void> {
    const session = this.ctx.session
    return new Promise((resolve) => {
      const deadline = setTimeout(finish, maxMs)
      let quiet = setTimeout(finish, quietMs)
      const off = session.subscribe(() => {
        clearTimeout(quiet)
        quiet = setTimeout(finish, quietMs)
      })
      function finish(): void {
        clearTimeout(deadline)
        clearTimeout(quiet)
        off()
        resolve()
      }
    })
  }

  private ensurePublisher(name = 'Sensor A'): Promise<Member> {
    const m = this.members.get(name)
    return m ? Promise.resolve(m) : this.add(name, 'pub')
  }

  async action(id: string, args: ParamValues): Promise<ReturnType<typeof ok>> {
    const topic = String(args.topic ?? 'home/livingroom/temperature')
    const payload = String(args.payload ?? '22.5')
    const qos = qosOf(args.qos)
    const retain = args.retain === true
    const name = String(args.name ?? '').trim()
    switch (id) {
      case 'demo': {
        await this.closeAll()
        const pub = await this.add('Sensor A', 'pub')
        await this.add('Dashboard', 'sub', [{ filter: 'home/#', qos: 1 }])
        await this.add('Living room', 'sub', [{ filter: 'home/livingroom/+', qos: 2 }])
        await this.add('Temperatures', 'sub', [{ filter: 'home/+/temperature', qos: 0 }])
        await this.add('Kitchen', 'sub', [{ filter: 'home/kitchen/#', qos: 1 }])
        this.note(
          'mqtt.demo',
          `Sensor A publishes "${payload}" on ${topic} (QoS ${qos}). It does not know who listens: the broker delivers a copy to each subscription whose filter matches.`,
          `O Sensor A publica "${payload}" em ${topic} (QoS ${qos}). Não sabe quem escuta: o broker entrega uma cópia a cada subscrição cujo filtro corresponde.`
        )
        await this.publish(pub, topic, payload, qos, retain)
        return ok(undefined, { delivered: this.subscribersFor(topic) })
      }
      case 'add-publisher': {
        const m = await this.add(name || `Sensor ${this.count('pub') + 1}`, 'pub')
        return ok({ en: `${m.name} connected.`, pt: `${m.name} ligado.` }, { node: m.node })
      }
      case 'add-subscriber': {
        const filter = String(args.filter ?? '#').trim()
        if (!validFilter(filter))
          return fail({ en: `"${filter}" is not a valid topic filter: + must fill a whole level and # must be the last level.`, pt: `"${filter}" não é um filtro válido: + ocupa um nível inteiro e # tem de ser o último nível.` })
        const m = await this.add(name || `Subscriber ${this.count('sub') + 1}`, 'sub', [{ filter, qos }])
        return ok({ en: `${m.name} subscribed to ${filter} (QoS ${qos}).`, pt: `${m.name} subscreveu ${filter} (QoS ${qos}).` }, { node: m.node })
      }
      case 'remove-client': {
        const removed = await this.remove(name)
        return removed ? ok({ en: `${name} disconnected.`, pt: `${name} desligado.` }) : fail({ en: `No client named "${name}".`, pt: `Nenhum cliente chamado "${name}".` })
      }
      case 'publish': {
        if (!validTopic(topic)) return fail({ en: `"${topic}" is not a valid topic: a topic name cannot contain + or #.`, pt: `"${topic}" não é um tópico válido: um nome de tópico não pode conter + nem #.` })
        const m = name ? this.members.get(name) : [...this.members.values()].find((x) => x.role === 'pub')
        const pub = m ?? (await this.ensurePublisher(name || 'Sensor A'))
        await this.publish(pub, topic, payload, qos, retain)
        return ok(undefined, { delivered: this.subscribersFor(topic) })
      }
      case 'wildcards':
        return this.wildcards()
      case 'qos-compare':
        return this.qosCompare()
      case 'retained':
        return this.retained()
      case 'will':
        return this.will()
      case 'persistent':
        return this.persistent()
      case 'keepalive':
        return this.keepalive()
      case 'mqtt5':
        return this.mqtt5()
      case 'burst':
        return this.burst(Number(args.count ?? 1000), Number(args.rate ?? 1000), Number(args.subscribers ?? 20))
      case 'reset':
        await this.closeAll()
        return ok()
      default:
        return fail({ en: `Unknown action "${id}".`, pt: `Ação desconhecida "${id}".` })
    }
  }

  private count(role: Role): number {
    return [...this.members.values()].filter((m) => m.role === role).length
  }

  /** Names of built-in subscribers whose filters match, per the specification (what the view should light). */
  subscribersFor(topic: string): string[] {
    return [...this.members.values()].filter((m) => m.filters.some((f) => topicMatches(f.filter, topic))).map((m) => m.name)
  }

  private async wildcards(): Promise<ReturnType<typeof ok>> {
    await this.closeAll()
    const pub = await this.add('Building', 'pub')
    await this.add('Room 102 lights (+)', 'sub', [{ filter: 'building/+/room102/light', qos: 0 }])
    await this.add('Floor 1 (#)', 'sub', [{ filter: 'building/floor1/#', qos: 0 }])
    await this.add('Exact topic', 'sub', [{ filter: 'building/floor1/room102/light', qos: 0 }])
    this.note(
      'mqtt.wildcards',
      '+ matches exactly one level (building/+/room102/light); # matches any number of levels, including none (building/floor1/#).',
      '+ corresponde a exatamente um nível (building/+/room102/light); # corresponde a qualquer número de níveis, incluindo nenhum (building/floor1/#).'
    )
    const topics = ['building/floor1/room102/light', 'building/floor2/room102/light', 'building/floor1/room101/door', 'building/floor1', 'building/floor2/room102/light/brightness']
    for (const t of topics) await this.publish(pub, t, 'on', 0)
    return ok(undefined, { matrix: Object.fromEntries(topics.map((t) => [t, this.subscribersFor(t)])) })
  }

  private async qosCompare(): Promise<ReturnType<typeof ok>> {
    await this.closeAll()
    const pub = await this.add('Publisher', 'pub')
    await this.add('Subscriber QoS 2', 'sub', [{ filter: 'lab/qos/+', qos: 2 }])
    await this.add('Subscriber QoS 1 (lab/#)', 'sub', [{ filter: 'lab/#', qos: 1 }])
    this.note(
      'mqtt.qos',
      'QoS is per leg. QoS 0: one PUBLISH. QoS 1: PUBLISH + PUBACK. QoS 2: PUBLISH, PUBREC, PUBREL, PUBCOMP. The broker delivers at most the QoS the subscription was granted.',
      'O QoS é por troço. QoS 0: um PUBLISH. QoS 1: PUBLISH + PUBACK. QoS 2: PUBLISH, PUBREC, PUBREL, PUBCOMP. O broker entrega no máximo o QoS concedido à subscrição.'
    )
    for (const q of [0, 1, 2] as const) await this.publish(pub, `lab/qos/${q}`, `QoS ${q}`, q)
    return ok()
  }

  private async retained(): Promise<ReturnType<typeof ok>> {
    await this.closeAll()
    const pub = await this.add('Thermostat', 'pub')
    await this.publish(pub, 'home/livingroom/setpoint', '21', 1, true)
    this.note(
      'mqtt.retained',
      'The PUBLISH had RETAIN=1: the broker keeps it as the topic’s last known value and hands it to anyone who subscribes later, with RETAIN=1.',
      'O PUBLISH tinha RETAIN=1: o broker guarda-o como o último valor do tópico e entrega-o a quem subscrever mais tarde, com RETAIN=1.'
    )
    const late = await this.add('Late subscriber', 'sub')
    const got = new Promise<string>((resolve) => late.client.once('message', (_t, m, packet) => resolve(`${m.toString()} retain=${packet.retain}`)))
    late.filters.push({ filter: 'home/livingroom/setpoint', qos: 1 })
    await late.client.subscribeAsync('home/livingroom/setpoint', { qos: 1 })
    const received = await withTimeout(got, 3000, 'the retained message did not arrive')
    await this.settle()
    // Clear the retained value so the lesson can be replayed from a clean broker.
    await pub.client.publishAsync('home/livingroom/setpoint', '', { qos: 1, retain: true })
    return ok(undefined, { received })
  }

  private async will(): Promise<ReturnType<typeof ok>> {
    await this.closeAll()
    const watcher = await this.add('Status monitor', 'sub', [{ filter: 'device/+/status', qos: 1 }])
    const dev = await this.connect('Device 123', 'pub', {
      clientId: 'device-123',
      will: { topic: 'device/123/status', payload: Buffer.from('offline'), qos: 1, retain: false }
    })
    await dev.client.publishAsync('device/123/status', 'online', { qos: 1 })
    await this.settle()
    this.note(
      'mqtt.will.kill',
      'Device 123 registered a Last Will in its CONNECT. Now its socket is destroyed (TCP reset), without DISCONNECT: the broker publishes the will for it.',
      'O Device 123 registou um Last Will no CONNECT. Agora o socket é destruído (reset TCP), sem DISCONNECT: o broker publica o testamento em nome dele.'
    )
    const got = new Promise<string>((resolve) =>
      watcher.client.on('message', (t, m) => {
        if (t === 'device/123/status' && m.toString() === 'offline') resolve(m.toString())
      })
    )
    dev.socket.resetAndDestroy()
    const will = await withTimeout(got, 5000, 'the Last Will was not published')
    await this.settle()
    return ok(undefined, { will })
  }

  private async persistent(): Promise<ReturnType<typeof ok>> {
    await this.closeAll()
    const node = 'sub:logger'
    // Start from no stored session (a clean connect discards one left by an earlier run).
    const fresh = await this.connect('Logger', 'sub', { clientId: 'logger-persistent', clean: true }, node)
    await fresh.client.endAsync()
    fresh.socket.destroy()
    const pub = await this.add('Sensor', 'pub')
    const opts = { clientId: 'logger-persistent', clean: false }
    const first = await this.connect('Logger', 'sub', opts, node)
    await first.client.subscribeAsync('lab/log/#', { qos: 1 })
    await first.client.endAsync()
    first.socket.destroy()
    this.note(
      'mqtt.persistent.offline',
      'Logger connected with clean session off, subscribed to lab/log/# (QoS 1) and went offline. The broker keeps its session and queues QoS 1 messages for it.',
      'O Logger ligou-se com clean session desligado, subscreveu lab/log/# (QoS 1) e ficou offline. O broker guarda a sessão e põe em fila as mensagens QoS 1.'
    )
    for (let i = 1; i <= 3; i++) await pub.client.publishAsync(`lab/log/${i}`, `reading ${i}`, { qos: 1 })
    const received: string[] = []
    let allIn = (): void => undefined
    const arrived = new Promise<void>((resolve) => (allIn = resolve))
    // Listen before CONNECT: the queued messages follow the CONNACK immediately.
    const back = await this.connect('Logger', 'sub', opts, node, (c) =>
      c.on('message', (_t, msg) => {
        received.push(msg.toString())
        if (received.length === 3) allIn()
      })
    )
    const m: Member = { name: 'Logger', role: 'sub', node, client: back.client, socket: back.socket, filters: [{ filter: 'lab/log/#', qos: 1 }] }
    this.members.set('Logger', m)
    await withTimeout(arrived, 5000, 'the queued messages did not arrive')
    await this.settle()
    this.note(
      'mqtt.persistent.back',
      `Logger reconnected: CONNACK says session present = ${back.sessionPresent ? 1 : 0}, and the ${received.length} messages queued while it was offline arrived.`,
      `O Logger voltou: o CONNACK diz sessão presente = ${back.sessionPresent ? 1 : 0}, e chegaram as ${received.length} mensagens em fila enquanto esteve offline.`
    )
    return ok(undefined, { sessionPresent: back.sessionPresent, received })
  }

  private async keepalive(): Promise<ReturnType<typeof ok>> {
    const c = await this.connect('Quiet sensor', 'pub', { keepalive: 1 })
    this.note(
      'mqtt.keepalive',
      'Quiet sensor asked for a 1 s keep-alive and has nothing to say: it sends PINGREQ, the broker answers PINGRESP, so both know the connection is alive.',
      'O Quiet sensor pediu keep-alive de 1 s e não tem nada a dizer: envia PINGREQ, o broker responde PINGRESP, e ambos sabem que a ligação está viva.'
    )
    await withTimeout(
      new Promise<void>((resolve) => c.client.on('packetreceive', (pkt) => pkt.cmd === 'pingresp' && resolve())),
      5000,
      'no PINGRESP'
    )
    await c.client.endAsync()
    c.socket.destroy()
    return ok()
  }

  private async mqtt5(): Promise<ReturnType<typeof ok>> {
    const c = this.connect('MQTT 5 client', 'pub', { protocolVersion: 5 })
    let reason: string
    try {
      const r = await c
      await r.client.endAsync()
      r.socket.destroy()
      reason = 'accepted'
    } catch (err) {
      reason = err instanceof Error ? err.message : String(err)
    }
    this.note(
      'mqtt.v5',
      `An MQTT 5 CONNECT (protocol level 5) gets: ${reason}. aedes 1.2 speaks MQTT 3.1 and 3.1.1 only; it answers in the 3.1.1 format with return code 1 and closes the connection.`,
      `Um CONNECT MQTT 5 (nível de protocolo 5) recebe: ${reason}. O aedes 1.2 só fala MQTT 3.1 e 3.1.1; responde no formato 3.1.1 com o código 1 e fecha a ligação.`,
      'warn'
    )
    return ok(undefined, { reason })
  }

  private async burst(count: number, rate: number, subscribers: number): Promise<ReturnType<typeof ok>> {
    await this.closeAll()
    const pub = await this.add('Fast sensor', 'pub')
    for (let i = 1; i <= subscribers; i++) await this.add(`Sub ${i}`, 'sub', [{ filter: i % 2 ? 'load/#' : `load/${i % 4}/+`, qos: 0 }])
    const topicOf = (n: number): string => `load/${n % 4}/value`
    const arrived = this.deliveriesOf(Array.from({ length: count }, (_, n) => ({ topic: topicOf(n), payload: String(n) })))
    const started = performance.now()
    const perTick = Math.max(1, Math.round(rate / 100))
    let sent = 0
    while (sent < count) {
      const tickStart = performance.now()
      for (let k = 0; k < perTick && sent < count; k++, sent++) pub.client.publish(topicOf(sent), String(sent), { qos: 0 })
      const due = started + (sent / rate) * 1000
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now(), tickStart + 1 - performance.now())))
    }
    await withTimeout(arrived, 60_000, 'not every delivery arrived')
    const seconds = (performance.now() - started) / 1000
    await this.settle()
    this.note('mqtt.burst', `${count} messages in ${seconds.toFixed(2)} s (${Math.round(count / seconds)}/s) to ${subscribers} subscribers.`, `${count} mensagens em ${seconds.toFixed(2)} s (${Math.round(count / seconds)}/s) para ${subscribers} subscritores.`)
    return ok(undefined, { count, seconds })
  }
}

/**
 * A person's own client (mosquitto_sub, a paho-mqtt script) is first known by its address; once
 * its CONNECT is decoded, the node is announced again with the client id it chose.
 */
function labelOutsideClients(ctx: SceneContext): void {
  const external = new Map<string, { host: string; port: number }>()
  const connFrom = new Map<string, string>()
  const renamed = new Set<string>()
  const off = ctx.session.subscribe((e) => {
    if (e.kind === 'node' && e.external && e.endpoint) external.set(e.node, e.endpoint)
    else if (e.kind === 'conn.open') connFrom.set(e.conn, e.from)
    else if (e.kind === 'pdu' && e.protocol === 'mqtt' && e.dir === 'c2s' && e.keys?.type === 'CONNECT' && typeof e.keys.clientId === 'string') {
      const node = connFrom.get(e.conn)
      const ep = node ? external.get(node) : undefined
      if (!node || !ep || renamed.has(node)) return
      renamed.add(node)
      const id = e.keys.clientId || '(empty client id)'
      ctx.session.append({ kind: 'node', node, label: `${id} (${ep.host}:${ep.port})`, role: 'external', external: true, endpoint: ep })
    }
  })
  ctx.onStop(off)
}

const shellQuote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`)

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(what)), ms)
    p.then(
      (v) => {
        clearTimeout(t)
        resolve(v)
      },
      (e: unknown) => {
        clearTimeout(t)
        reject(e instanceof Error ? e : new Error(String(e)))
      }
    )
  })
}

