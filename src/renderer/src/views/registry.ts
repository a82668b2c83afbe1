// Which React component draws each view a lesson can ask for (`SceneInfo.views`), with the title
// its panel shows. A view is a folder under views/<view>/ whose component reads the store (see
// EXTENDING.md). Every `ViewId` needs one line here: the compiler checks the list is complete.
import type { ComponentType } from 'react'
import type { Localized } from '@shared/events'
import type { ViewId } from '@shared/scene'
import type { ViewProps } from './view-props'
import { SequenceView } from './sequence/SequenceView'
import sequence from './sequence/strings.json'
import { BytesView } from './bytes/BytesView'
import bytes from './bytes/strings.json'
import { PacketList } from './packets/PacketList'
import packets from './packets/strings.json'
import { FanoutView } from './fanout/FanoutView'
import fanout from './fanout/strings.json'
import { TopicsView } from './topics/TopicsView'
import topics from './topics/strings.json'
import { SegmentsView } from './segments/SegmentsView'
import segments from './segments/strings.json'
import { TlsView } from './tls/TlsView'
import tls from './tls/strings.json'
import { FramesView } from './frames/FramesView'
import frames from './frames/strings.json'
import { EventStreamView } from './eventstream/EventStreamView'
import eventstream from './eventstream/strings.json'
import { SerializationView } from './serialization/SerializationView'
import serialization from './serialization/strings.json'
import { StreamsView } from './streams/StreamsView'
import streams from './streams/strings.json'
import { RaceView } from './race/RaceView'
import race from './race/strings.json'
import { GrpcView } from './grpc/GrpcView'
import grpc from './grpc/strings.json'
import { UnwrapView } from './unwrap/UnwrapView'
import unwrap from './unwrap/strings.json'
import { CompareView } from './compare/CompareView'
import compare from './compare/strings.json'
import { LayersView } from './layers/LayersView'
import layers from './layers/strings.json'
import { PortsView } from './ports/PortsView'
import ports from './ports/strings.json'
import { BuffersView } from './buffers/BuffersView'
import buffers from './buffers/strings.json'
import { ThriftView } from './thrift/ThriftView'
import thrift from './thrift/strings.json'
import { ServersView } from './servers/ServersView'
import servers from './servers/strings.json'
import { TopologyView } from './topology/TopologyView'
import topology from './topology/strings.json'
import { PatternsView } from './patterns/PatternsView'
import patterns from './patterns/strings.json'
import { ByteMapView } from './bytemap/ByteMapView'
import bytemap from './bytemap/strings.json'
import { LanesView } from './lanes/LanesView'
import lanes from './lanes/strings.json'
import { TraceView } from './trace/TraceView'
import trace from './trace/strings.json'

export interface ViewEntry {
  title: Localized
  component: ComponentType<ViewProps>
}

export const VIEWS: Record<ViewId, ViewEntry> = {
  sequence: { title: sequence.title, component: SequenceView },
  bytes: { title: bytes.title, component: BytesView },
  packets: { title: packets.title, component: PacketList },
  fanout: { title: fanout.title, component: FanoutView },
  topics: { title: topics.title, component: TopicsView },
  segments: { title: segments.title, component: SegmentsView },
  tls: { title: tls.title, component: TlsView },
  frames: { title: frames.title, component: FramesView },
  eventstream: { title: eventstream.title, component: EventStreamView },
  serialization: { title: serialization.title, component: SerializationView },
  streams: { title: streams.title, component: StreamsView },
  race: { title: race.title, component: RaceView },
  grpc: { title: grpc.title, component: GrpcView },
  unwrap: { title: unwrap.title, component: UnwrapView },
  compare: { title: compare.title, component: CompareView },
  servers: { title: servers.title, component: ServersView },
  buffers: { title: buffers.title, component: BuffersView },
  thrift: { title: thrift.title, component: ThriftView },
  layers: { title: layers.title, component: LayersView },
  ports: { title: ports.title, component: PortsView },
  topology: { title: topology.title, component: TopologyView },
  patterns: { title: patterns.title, component: PatternsView },
  bytemap: { title: bytemap.title, component: ByteMapView },
  lanes: { title: lanes.title, component: LanesView },
  trace: { title: trace.title, component: TraceView }
}

/** The views of a lesson that names none. */
export const FALLBACK_VIEWS: ViewId[] = ['sequence', 'bytes', 'packets']

/** A view's entry; undefined for an id this version does not know (a newer engine's, say). */
export function viewEntry(id: string): ViewEntry | undefined {
  return (VIEWS as Partial<Record<string, ViewEntry>>)[id]
}
