// Exports: the session as pcap, the current view as SVG or PNG, and a WebM video of the
// animation (see video.ts). Everything ends as a file download (a save dialog in the desktop app).
import { useLab } from '../../store'
import { toPcap } from '@shared/pcap'
import { replayedEvents, saveFromEngine, useReplay } from '../../session-files/replay'
import { sessionFileName } from '../../session-files/session-file'
import { useLesson } from '../../lesson/lesson-store'
import { downloadBlob } from '../download'
import { domToSvg, svgImage } from './dom-svg'
import { LocalizedError } from '../notify'
import S from '../strings.json'

/** The lesson id the exported file names carry. */
export function currentSceneId(): string | null {
  const r = useReplay.getState()
  return r.replaying ? r.scene : (useLesson.getState().sceneId ?? useLab.getState().scene?.scene ?? null)
}

/**
 * The session as a pcap: the engine streams its whole log (memory and disk) to a download or a file
 * it asks for; a replayed session is converted here.
 */
export async function exportPcap(): Promise<string> {
  const name = sessionFileName(currentSceneId(), '.pcap')
  if (!useReplay.getState().replaying) return saveFromEngine('pcap', name)
  const { bytes } = toPcap(replayedEvents())
  downloadBlob(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/vnd.tcpdump.pcap' }), name)
  return name
}

/** The panel of a view on screen (`panel-<id>`), or the main (first) view. */
export function viewElement(view?: string): HTMLElement | null {
  const el = view
    ? document.querySelector(`[data-testid="panel-${view}"]`)
    : document.querySelector('.views .panel')
  return el instanceof HTMLElement ? el : null
}

export function viewId(el: HTMLElement): string {
  return el.dataset.testid?.replace(/^panel-/, '') ?? 'view'
}

export function viewSvg(view?: string): { svg: string; width: number; height: number; id: string } {
  const el = viewElement(view)
  if (!el) throw new LocalizedError(S.error.noView)
  return { ...domToSvg(el), id: viewId(el) }
}

export function exportViewSvg(view?: string): string {
  const { svg, id } = viewSvg(view)
  const name = sessionFileName(`${currentSceneId() ?? 'wirelab'}-${id}`, '.svg')
  downloadBlob(new Blob([svg], { type: 'image/svg+xml' }), name)
  return name
}

/** Renders an SVG document to PNG at `scale` times its size. */
export async function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<Blob> {
  const img = await svgImage(svg)
  const canvas = document.createElement('canvas')
  canvas.width = Math.round(width * scale)
  canvas.height = Math.round(height * scale)
  const ctx = canvas.getContext('2d')
  if (!ctx) throw new LocalizedError(S.error.noCanvas)
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height)
  return new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new LocalizedError(S.error.png))), 'image/png')
  )
}

export async function exportViewPng(view?: string, scale = 2): Promise<string> {
  const { svg, width, height, id } = viewSvg(view)
  const png = await svgToPng(svg, width, height, scale)
  const name = sessionFileName(`${currentSceneId() ?? 'wirelab'}-${id}`, '.png')
  downloadBlob(png, name)
  return name
}
