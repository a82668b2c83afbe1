// Which React component draws each view a lesson can ask for (`SceneInfo.views`). A lesson's
// view is a component under views/<view>/ that reads the store (see EXTENDING.md). Add one line.
import type { ComponentType } from 'react'
import type { Localized } from '@shared/events'
import type { ViewId } from '@shared/scene'
import { SequenceView } from './sequence/SequenceView'
import { BytesView } from './bytes/BytesView'
import { PacketList } from './packets/PacketList'
import { FanoutView } from './fanout/FanoutView'
import { TopicsView } from './topics/TopicsView'
import { SegmentsView } from './segments/SegmentsView'
import { TlsView } from './tls/TlsView'
import { FramesView } from './frames/FramesView'
import { EventStreamView } from './eventstream/EventStreamView'
import { SerializationView } from './serialization/SerializationView'
import { StreamsView } from './streams/StreamsView'
import { RaceView } from './race/RaceView'

export interface ViewProps {
  /** The running lesson's id. */
  scene: string
}

export interface ViewEntry {
  title: Localized
  component: ComponentType<ViewProps>
}

export const VIEWS: Partial<Record<ViewId, ViewEntry>> = {
  sequence: { title: { en: 'Sequence diagram', pt: 'Diagrama de sequência' }, component: SequenceView },
  bytes: { title: { en: 'Bytes', pt: 'Bytes' }, component: BytesView },
  packets: { title: { en: 'Packets', pt: 'Pacotes' }, component: PacketList },
  fanout: { title: { en: 'Fan-out', pt: 'Distribuição' }, component: FanoutView },
  topics: { title: { en: 'Topic tree', pt: 'Árvore de tópicos' }, component: TopicsView },
  segments: { title: { en: 'TCP segments: seq and ack', pt: 'Segmentos TCP: seq e ack' }, component: SegmentsView },
  tls: { title: { en: 'TLS: on the wire vs decrypted', pt: 'TLS: no fio vs decifrado' }, component: TlsView },
  frames: { title: { en: 'WebSocket: Upgrade and frames', pt: 'WebSocket: Upgrade e frames' }, component: FramesView },
  eventstream: { title: { en: 'Event stream', pt: 'Stream de eventos' }, component: EventStreamView },
  serialization: { title: { en: 'Serialization: byte by byte', pt: 'Serialização: byte a byte' }, component: SerializationView },
  streams: { title: { en: 'HTTP/2 stream lanes', pt: 'Faixas de streams HTTP/2' }, component: StreamsView },
  race: { title: { en: 'HTTP/1.1 vs HTTP/2 race', pt: 'Corrida HTTP/1.1 vs HTTP/2' }, component: RaceView }
}
