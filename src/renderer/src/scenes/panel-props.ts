// What a lesson's custom panel receives (scenes/registry.ts maps scene ids to panels).
import type { SceneInfo, SceneStatus } from '@shared/scene'

export interface ScenePanelProps {
  info: SceneInfo
  /** Null until the lesson is started. */
  status: SceneStatus | null
}
