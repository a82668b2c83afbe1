// The log's status line: once a long session keeps part of its log on disk, how much is there and
// how much is in memory (nothing is lost; see session-slice.ts). Hidden until then.
import type { JSX } from 'react'
import { useLab } from '../store'
import { useLocalized } from '../i18n'
import S from './strings.json'

/** KiB as people read sizes: 640 KB, 12 MB, 1.4 GB. */
export function size(kib: number): string {
  const b = kib * 1024
  if (b < 1e6) return `${Math.max(1, Math.round(b / 1e3))} KB`
  if (b < 1e9) return `${b < 1e7 ? (b / 1e6).toFixed(1) : Math.round(b / 1e6)} MB`
  return `${(b / 1e9).toFixed(b < 1e10 ? 1 : 0)} GB`
}

export function LogStatus(): JSX.Element | null {
  const loc = useLocalized()
  // Formatted in the selector: re-renders only when the text changes, not with every packet.
  const disk = useLab((s) => (s.kibOnDisk > 0 ? size(s.kibOnDisk) : ''))
  // Only read once part of the log is on disk: until then it changes with every packet, unseen.
  const memory = useLab((s) => (s.kibOnDisk > 0 ? size(s.kibInMemory) : ''))
  if (!disk) return null
  return (
    <span className="badge log-status" data-testid="log-on-disk" title={loc(S.conn.onDiskTitle)}>
      {loc(S.conn.onDisk, { disk, memory })}
    </span>
  )
}
