import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import './styles.css'
import { App } from './App'
import { startSync } from './bridge/sync'
import { startClock } from './playback/clock'
import { onPlaybackKey } from './playback/keys'
import { installSessionOpeners, useReplay } from './session-files/replay'
import { startCheckpointGate } from './checkpoints/checkpoint-store'

startSync()
startClock()
startCheckpointGate(() => useReplay.getState().replaying)
window.addEventListener('keydown', onPlaybackKey)
// Before the first render: the desktop app sends a double-clicked session once the page has loaded.
installSessionOpeners()
// A page's first text comparison loads the collation tables (9–15 ms in Chromium): done while the
// page is idle, not in the frame that first sorts a topic tree (the first message of a load action).
requestIdleCallback(() => 'a'.localeCompare('b'))

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>
)
