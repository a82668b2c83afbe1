// Built-in MQTT clients: real mqtt.js clients whose TCP socket is one the scene context opened,
// so the tap recognises each publisher and subscriber as its own actor.
import type net from 'node:net'
import { MqttClient, type IClientOptions, type IConnackPacket } from 'mqtt'

export type ClientOptions = Omit<IClientOptions, 'reconnectPeriod'>

/** An mqtt.js client over an already connected socket; it never reconnects on its own. */
export function mqttOver(socket: net.Socket, options: ClientOptions): MqttClient {
  let used = false
  return new MqttClient(
    () => {
      if (used) throw new Error('this built-in client does not reconnect')
      used = true
      return socket
    },
    { ...options, reconnectPeriod: 0 }
  )
}

/** Resolves with the CONNACK, or rejects with the refusal (return code) or the socket error. */
export function connected(client: MqttClient, timeoutMs = 5000): Promise<IConnackPacket> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no CONNACK within ${timeoutMs} ms`)), timeoutMs)
    const onConnect = (p: IConnackPacket): void => done(null, p)
    const onError = (e: Error): void => done(e)
    const onClose = (): void => done(new Error('the broker closed the connection before CONNACK'))
    function done(err: Error | null, p?: IConnackPacket): void {
      clearTimeout(timer)
      client.off('connect', onConnect)
      client.off('error', onError)
      client.off('close', onClose)
      if (err) reject(err)
      else resolve(p as IConnackPacket)
    }
    client.on('connect', onConnect)
    client.on('error', onError)
    client.on('close', onClose)
  })
}
