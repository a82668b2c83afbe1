/// <reference types="vite/client" />
import type { WirelabApi } from '@shared/api'

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in browser mode. */
    wirelab?: WirelabApi
  }
}
