import type { WirelabApi } from '../shared/api'

declare global {
  interface Window {
    /** Present in the Electron app; browser mode uses the WebSocket twin instead. */
    wirelab?: WirelabApi
  }
}
