// The only module that talks to the engine. In Electron the preload exposes `window.wirelab`;
// in browser mode the same API runs over a WebSocket. The rest of the renderer imports `api`.
import type { WirelabApi } from '@shared/api'
import { createWsBridge } from './ws-bridge'

export const bridgeKind: 'electron' | 'web' = window.wirelab ? 'electron' : 'web'

export const api: WirelabApi = window.wirelab ?? createWsBridge()

export { BridgeError } from './ws-bridge'
