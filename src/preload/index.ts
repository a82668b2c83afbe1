// The renderer's only door to the engine: one function per command, the log's packet stream, and
// nothing else (no generic ipcRenderer; listeners never see the IPC event).
import { contextBridge, ipcRenderer } from 'electron'
import { COMMAND_NAMES, type CommandName, type WirelabApi } from '../shared/api'

type Commands = Omit<WirelabApi, 'onEvents' | 'onConnection' | 'onOpenSession'>

const commands = Object.fromEntries(
  COMMAND_NAMES.map((channel: CommandName) => [channel, (req: unknown) => ipcRenderer.invoke(channel, req ?? null)])
) as unknown as Commands

const api: WirelabApi = {
  ...commands,
  onEvents(listener) {
    const wrapped = (_event: unknown, packet: Uint8Array): void => listener(packet)
    ipcRenderer.on('wirelab:events', wrapped)
    return () => ipcRenderer.removeListener('wirelab:events', wrapped)
  },
  onConnection(listener) {
    // IPC is always connected while the window lives.
    listener('open')
    return () => undefined
  },
  onOpenSession(listener) {
    const wrapped = (_event: unknown, text: string): void => listener(text)
    ipcRenderer.on('wirelab:open-session', wrapped)
    return () => ipcRenderer.removeListener('wirelab:open-session', wrapped)
  }
}

contextBridge.exposeInMainWorld('wirelab', api)
