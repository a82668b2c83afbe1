// Optional custom lesson panels, keyed by scene id. A lesson without an entry gets the generic
// panel (lesson/LessonPanel.tsx), built from its SceneInfo: params, actions, ports, hints.
// A custom panel replaces the generic panel's controls section; add one line per lesson.
import type { ComponentType } from 'react'
import type { ScenePanelProps } from './panel-props'
import { MqttPanel } from './mqtt/Panel'
import { SerializationPanel } from './serialization/Panel'
import { ApiComparePanel } from './api-compare/Panel'
import { RabbitmqPanel } from './rabbitmq/Panel'
import { ZeromqPanel } from './zeromq/Panel'

export const SCENE_PANELS: Record<string, ComponentType<ScenePanelProps>> = {
  mqtt: MqttPanel,
  serialization: SerializationPanel,
  'api-compare': ApiComparePanel,
  rabbitmq: RabbitmqPanel,
  zeromq: ZeromqPanel
}
