import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import './styles.css'
import { App } from './App'
import { startSync } from './bridge/sync'
import { startClock } from './playback/clock'
import { onPlaybackKey } from './playback/keys'

startSync()
startClock()
window.addEventListener('keydown', onPlaybackKey)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>
)
