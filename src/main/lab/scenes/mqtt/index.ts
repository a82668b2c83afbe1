// Lesson "MQTT pub/sub" (seed 004, "MQTT: O Protocolo de IoT"): a real broker (aedes) behind a
// tap on 1883, real mqtt.js publishers and subscribers the person adds, names and removes, and
// the sub-lessons as actions (actions.ts): wildcards, QoS 0/1/2 side by side, retained message,
// Last Will, persistent session, keep-alive, and what an MQTT 5 client gets from this broker.
import type { ClientHint } from '../../../../shared/scene'
import { LOOPBACK, lanAddresses } from '../../net/ports'
import { startBroker } from '../../protocols/mqtt/server'
import { scriptHint } from '../client-scripts'
import { actionDefs, runAction, runScript, type SceneDef } from '../types'
import { ACTIONS } from './actions'
import { FANOUT } from './checkpoints'
import { MqttLesson } from './lesson'
import { labelOutsideClients } from '../outside-clients'
import { PARAMS } from './params'
import { named } from '../../tap/actors'

const PORT = 1883
const BROKER = { ...named('mqtt-broker', { en: 'Broker (aedes)', pt: 'Broker (aedes)' }), role: 'broker' as const }

export const mqtt: SceneDef = {
  info: {
    id: 'mqtt',
    group: 'mensageria',
    title: { en: 'MQTT pub/sub', pt: 'MQTT: publish/subscribe' },
    summary: {
      en: 'A real MQTT broker on port 1883: publishers and subscribers never know each other; the broker routes each PUBLISH to the subscriptions whose filter matches.',
      pt: 'Um broker MQTT real na porta 1883: publishers e assinantes não se conhecem; o broker encaminha cada PUBLISH para as assinaturas cujo filtro corresponde.'
    },
    goal: {
      en: 'Topics are hierarchical; + matches one level and # many; QoS is chosen per leg (publisher → broker, broker → subscriber) and never exceeds what the subscription was granted; a retained message waits for late subscribers; a Last Will is published when a client vanishes without DISCONNECT.',
      pt: 'Os tópicos são hierárquicos; + corresponde a um nível e # a vários; o QoS é escolhido em cada trecho (publisher → broker, broker → assinante) e nunca excede o concedido à assinatura; uma mensagem retida espera por assinantes tardios; o Last Will é publicado quando um cliente desaparece sem DISCONNECT.'
    },
    params: PARAMS,
    actions: actionDefs(ACTIONS),
    views: ['fanout', 'topics', 'sequence', 'bytes', 'packets'],
    ports: [{ name: 'mqtt', transport: 'tcp', preferred: PORT }],
    tagline: { en: 'A broker fans each PUBLISH out to the matching subscriptions', pt: 'Um broker distribui cada PUBLISH às assinaturas que correspondem' },
    protocols: ['mqtt', 'tcp'],
    checkpoints: [FANOUT]
  },

  async start(ctx, params) {
    const username = String(params.username ?? '').trim()
    const password = String(params.password ?? '')
    const credentials = username ? { username, password } : undefined
    const broker = await startBroker({
      specQos: params.specQos !== false,
      ...(credentials ? { credentials } : {})
    })
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
    // A person's own MQTT client (mosquitto_sub, a paho-mqtt script) is named by its client id.
    labelOutsideClients(
      ctx,
      (p) =>
        p.protocol === 'mqtt' && p.keys?.type === 'CONNECT' && typeof p.keys.clientId === 'string'
          ? p.keys.clientId || '(empty client id)'
          : undefined,
      (id, ep) => `${id} (${ep.host}:${ep.port})`
    )
    if (ctx.host !== LOOPBACK) {
      const addresses = lanAddresses().map((a) => `${a}:${port}`)
      ctx.note(
        'mqtt.classroom',
        {
          en: `Classroom mode: the broker accepts connections from the network on ${addresses.join(', ') || `${ctx.host}:${port}`}. Anyone on this network can publish and subscribe${credentials ? ' with the user name and password' : ': set a user name and password'}. Stop the lesson to close it.`,
          pt: `Modo sala de aula: o broker aceita conexões da rede em ${addresses.join(', ') || `${ctx.host}:${port}`}. Qualquer pessoa nesta rede pode publicar e assinar${credentials ? ' com o usuário e a senha' : ': defina um usuário e senha'}. Pare a aula para fechá-lo.`
        },
        'warn'
      )
    }
    const lesson = new MqttLesson(ctx, port, credentials)
    ctx.onStop(() => lesson.closeAll())

    const auth = credentials
      ? ` -u ${shellQuote(credentials.username)} -P ${shellQuote(credentials.password)}`
      : ''
    const hints = (): ClientHint[] => [
      {
        title: { en: 'Subscribe to everything (mosquitto_sub)', pt: 'Assinar tudo (mosquitto_sub)' },
        command: `mosquitto_sub -h 127.0.0.1 -p ${port}${auth} -t '#' -v`
      },
      {
        title: { en: 'Publish (mosquitto_pub)', pt: 'Publicar (mosquitto_pub)' },
        command: `mosquitto_pub -h 127.0.0.1 -p ${port}${auth} -t home/livingroom/temperature -m 23.1 -q 1`
      },
      scriptHint({ en: 'Seed publisher.py (paho-mqtt)', pt: 'publisher.py do seed (paho-mqtt)' }, 'publisher.py', { port }, PORT),
      scriptHint({ en: 'Seed subscriber.py (paho-mqtt)', pt: 'subscriber.py do seed (paho-mqtt)' }, 'subscriber.py', { port }, PORT)
    ]

    return {
      ports: [tap.port],
      hints,
      action: (id, args) => runAction(ACTIONS, lesson, id, args),
      async script() {
        await runScript(ACTIONS, lesson, params)
        await lesson.closeAll()
      }
    }
  }
}

const shellQuote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`)
