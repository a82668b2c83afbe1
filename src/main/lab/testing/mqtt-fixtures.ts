// Dissector fixtures: MQTT packets as objects, turned into bytes by the real mqtt-packet
// generator (the library mqtt.js and aedes use). Tests compare what the dissector reads back
// with what the generator was given.
import mqttPacket, { type Packet } from 'mqtt-packet'

export interface Fixture {
  name: string
  version: 3 | 4 | 5
  packet: Packet
}

const payload = Buffer.from('22.5')

export const FIXTURES: Fixture[] = [
  { name: 'CONNECT 3.1', version: 3, packet: { cmd: 'connect', protocolId: 'MQIsdp', protocolVersion: 3, clientId: 'sensor-31', clean: true, keepalive: 60 } },
  {
    name: 'CONNECT 3.1.1 with will, user and password',
    version: 4,
    packet: {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clientId: 'sensor-a',
      clean: false,
      keepalive: 30,
      username: 'aluno',
      password: Buffer.from('segredo'),
      will: { topic: 'device/123/status', payload: Buffer.from('offline'), qos: 1, retain: true }
    }
  },
  {
    name: 'CONNECT 5.0 with properties and will properties',
    version: 5,
    packet: {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 5,
      clientId: 'v5-client',
      clean: true,
      keepalive: 10,
      properties: { sessionExpiryInterval: 120, receiveMaximum: 20, userProperties: { aula: 'mqtt' } },
      will: { topic: 'device/5/status', payload: Buffer.from('offline'), qos: 0, retain: false, properties: { willDelayInterval: 5, contentType: 'text/plain' } }
    }
  },
  { name: 'CONNACK accepted', version: 4, packet: { cmd: 'connack', returnCode: 0, sessionPresent: false } },
  { name: 'CONNACK session present', version: 4, packet: { cmd: 'connack', returnCode: 0, sessionPresent: true } },
  { name: 'CONNACK refused (protocol version)', version: 4, packet: { cmd: 'connack', returnCode: 1, sessionPresent: false } },
  { name: 'CONNACK 5.0', version: 5, packet: { cmd: 'connack', reasonCode: 0, sessionPresent: false, properties: { assignedClientIdentifier: 'auto-1', topicAliasMaximum: 10 } } },
  { name: 'PUBLISH QoS 0', version: 4, packet: { cmd: 'publish', topic: 'home/livingroom/temperature', payload, qos: 0, retain: false, dup: false } },
  { name: 'PUBLISH QoS 1 retained', version: 4, packet: { cmd: 'publish', topic: 'home/kitchen/humidity', payload: Buffer.from('61'), qos: 1, retain: true, dup: false, messageId: 7 } },
  { name: 'PUBLISH QoS 2 DUP', version: 4, packet: { cmd: 'publish', topic: 'lab/qos2', payload: Buffer.from('exatamente uma vez'), qos: 2, retain: false, dup: true, messageId: 65535 } },
  { name: 'PUBLISH empty payload', version: 4, packet: { cmd: 'publish', topic: 'a', payload: Buffer.alloc(0), qos: 0, retain: true, dup: false } },
  { name: 'PUBLISH large (3-byte remaining length)', version: 4, packet: { cmd: 'publish', topic: 'big', payload: Buffer.alloc(20000, 0x41), qos: 1, retain: false, dup: false, messageId: 2 } },
  {
    name: 'PUBLISH 5.0 with properties',
    version: 5,
    packet: { cmd: 'publish', topic: 'v5/t', payload, qos: 1, retain: false, dup: false, messageId: 3, properties: { payloadFormatIndicator: true, messageExpiryInterval: 60, topicAlias: 2, responseTopic: 'r', correlationData: Buffer.from([1, 2]), userProperties: { k: 'v' }, contentType: 'text/plain' } }
  },
  { name: 'PUBACK', version: 4, packet: { cmd: 'puback', messageId: 7 } },
  { name: 'PUBREC', version: 4, packet: { cmd: 'pubrec', messageId: 8 } },
  { name: 'PUBREL', version: 4, packet: { cmd: 'pubrel', messageId: 8 } },
  { name: 'PUBCOMP', version: 4, packet: { cmd: 'pubcomp', messageId: 8 } },
  { name: 'PUBACK 5.0 with reason', version: 5, packet: { cmd: 'puback', messageId: 9, reasonCode: 0x10, properties: { reasonString: 'ninguém' } } },
  {
    name: 'SUBSCRIBE two filters',
    version: 4,
    packet: { cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'home/+/temperature', qos: 1 }, { topic: 'home/#', qos: 2 }] }
  },
  {
    name: 'SUBSCRIBE 5.0 options',
    version: 5,
    packet: { cmd: 'subscribe', messageId: 2, properties: { subscriptionIdentifier: 300 }, subscriptions: [{ topic: 'a/#', qos: 1, nl: true, rap: true, rh: 2 }] }
  },
  { name: 'SUBACK', version: 4, packet: { cmd: 'suback', messageId: 1, granted: [1, 2, 0x80] } },
  { name: 'SUBACK 5.0', version: 5, packet: { cmd: 'suback', messageId: 2, granted: [1], properties: { reasonString: 'ok' } } },
  { name: 'UNSUBSCRIBE', version: 4, packet: { cmd: 'unsubscribe', messageId: 3, unsubscriptions: ['home/#', 'x/y'] } },
  { name: 'UNSUBACK', version: 4, packet: { cmd: 'unsuback', messageId: 3 } as Packet },
  { name: 'UNSUBACK 5.0', version: 5, packet: { cmd: 'unsuback', messageId: 3, granted: [0, 0x11] } },
  { name: 'PINGREQ', version: 4, packet: { cmd: 'pingreq' } },
  { name: 'PINGRESP', version: 4, packet: { cmd: 'pingresp' } },
  { name: 'DISCONNECT', version: 4, packet: { cmd: 'disconnect' } },
  { name: 'DISCONNECT 5.0 with will', version: 5, packet: { cmd: 'disconnect', reasonCode: 4, properties: { sessionExpiryInterval: 0 } } },
  { name: 'AUTH 5.0', version: 5, packet: { cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM', authenticationData: Buffer.from([9, 9]) } } }
]

export function fixtureBytes(f: Fixture): Uint8Array {
  return new Uint8Array(mqttPacket.generate(f.packet, { protocolVersion: f.version }))
}
