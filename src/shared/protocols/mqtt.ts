// MQTT (`mqtt`) 3.1, 3.1.1 and 5.0. Field ids (Wireshark's packet-mqtt.c) and PDU keys, declared once
// for the dissector and the views (fan-out, topics). MQTT 5 properties are
// `mqtt.property.<name>` (`mqtt.property.topic_alias`…).

export const MQTT = 'mqtt'

export const MQTT_FIELDS = {
  clientid: 'mqtt.clientid',
  conackFlags: 'mqtt.conack.flags',
  conackFlagsReserved: 'mqtt.conack.flags.reserved',
  conackFlagsSp: 'mqtt.conack.flags.sp',
  conackVal: 'mqtt.conack.val',
  conflagCleansess: 'mqtt.conflag.cleansess',
  conflagPasswd: 'mqtt.conflag.passwd',
  conflagQos: 'mqtt.conflag.qos',
  conflagReserved: 'mqtt.conflag.reserved',
  conflagRetain: 'mqtt.conflag.retain',
  conflagUname: 'mqtt.conflag.uname',
  conflagWillflag: 'mqtt.conflag.willflag',
  conflags: 'mqtt.conflags',
  dupflag: 'mqtt.dupflag',
  hdr: 'mqtt.hdr',
  hdrflags: 'mqtt.hdrflags',
  kalive: 'mqtt.kalive',
  len: 'mqtt.len',
  msg: 'mqtt.msg',
  msgid: 'mqtt.msgid',
  msgtype: 'mqtt.msgtype',
  passwd: 'mqtt.passwd',
  payload: 'mqtt.payload',
  properties: 'mqtt.properties',
  propertyId: 'mqtt.property.id',
  propertyKey: 'mqtt.property.key',
  propertyValue: 'mqtt.property.value',
  protoName: 'mqtt.proto_name',
  qos: 'mqtt.qos',
  reasonCode: 'mqtt.reason_code',
  retain: 'mqtt.retain',
  subNl: 'mqtt.sub.nl',
  subOptions: 'mqtt.sub.options',
  subQos: 'mqtt.sub.qos',
  subRap: 'mqtt.sub.rap',
  subReserved: 'mqtt.sub.reserved',
  subRh: 'mqtt.sub.rh',
  subackQos: 'mqtt.suback.qos',
  subscription: 'mqtt.subscription',
  topic: 'mqtt.topic',
  unsubackReason: 'mqtt.unsuback.reason',
  username: 'mqtt.username',
  ver: 'mqtt.ver',
  vheader: 'mqtt.vheader',
  willProperties: 'mqtt.will_properties',
  willmsg: 'mqtt.willmsg',
  willtopic: 'mqtt.willtopic'
} as const

export type MqttPacketType =
  | 'Reserved'
  | 'CONNECT'
  | 'CONNACK'
  | 'PUBLISH'
  | 'PUBACK'
  | 'PUBREC'
  | 'PUBREL'
  | 'PUBCOMP'
  | 'SUBSCRIBE'
  | 'SUBACK'
  | 'UNSUBSCRIBE'
  | 'UNSUBACK'
  | 'PINGREQ'
  | 'PINGRESP'
  | 'DISCONNECT'
  | 'AUTH'

/** The keys of an `mqtt` PDU (each packet type sets those that apply). */
export type MqttKeys = {
  type: MqttPacketType
  packetId?: number
  /** PUBLISH: topic, payload (text, shortened), size, flags; SUBSCRIBE/UNSUBSCRIBE: the filters joined by spaces. */
  topic?: string
  payload?: string
  size?: number
  qos?: number
  retain?: boolean
  dup?: boolean
  topicAlias?: number
  /** SUBSCRIBE and UNSUBSCRIBE: each topic filter; SUBSCRIBE: the QoS requested for each. */
  filters?: string[]
  filterQos?: number[]
  /** SUBACK: the return (reason) code per filter. */
  codes?: number[]
  /** CONNECT. */
  clientId?: string
  version?: number
  clean?: boolean
  keepalive?: number
  willTopic?: string
  willPayload?: string
  willQos?: number
  willRetain?: boolean
  username?: string
  /** CONNACK. */
  returnCode?: number
  sessionPresent?: boolean
  /** MQTT 5 reason code (PUBACK…, DISCONNECT, AUTH). */
  reasonCode?: number
}
