// Built-in AMQP clients: amqplib connections that say who they are (`connection_name`, shown by
// RabbitMQ and in the Connection.Start-Ok frame) and connect from a port the tap already knows.
import amqp from 'amqplib'

export interface AmqpEndpoint {
  host: string
  port: number
  /** Local port to connect from (claimed for the client's actor). */
  localPort?: number
}

export async function connectAmqp(to: AmqpEndpoint, name: string, heartbeat = 0): Promise<amqp.ChannelModel> {
  const conn = await amqp.connect(
    { protocol: 'amqp', hostname: to.host, port: to.port, username: 'guest', password: 'guest', heartbeat },
    {
      ...(to.localPort ? { localPort: to.localPort, localAddress: '127.0.0.1' } : {}),
      clientProperties: { connection_name: name },
      noDelay: true
    }
  )
  // Errors reach the lesson through the calls that fail and through 'close'; an unhandled 'error'
  // event must not take the engine down.
  conn.on('error', () => undefined)
  return conn
}

/** The exchange types RabbitMQ has built in. */
export type ExchangeType = 'direct' | 'fanout' | 'topic' | 'headers'
