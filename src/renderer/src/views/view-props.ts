// What every view component receives (views/registry.ts maps view ids to components).
export interface ViewProps {
  /** The running lesson's id. */
  scene: string
}
