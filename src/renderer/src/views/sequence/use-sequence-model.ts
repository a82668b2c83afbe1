// The sequence diagram's model for one view instance, advanced incrementally as the log grows
// and rebuilt when the log is replaced, the run changes or the cursor goes back (see model.ts).
import { useMemo, useState } from 'react'
import { runStart, useLab, useLogVersion } from '../../store'
import { SequenceModelCache, type SequenceModel } from './model'

export function useSequenceModel(): { model: SequenceModel; version: string } {
  const { count, cursor, epoch } = useLogVersion('diagram')
  const runs = useLab((s) => s.runs.length)
  const [cache] = useState(() => new SequenceModelCache())
  return useMemo(() => {
    const s = useLab.getState()
    const model = cache.get(s.events, epoch, runStart(s), cursor, s.nodes)
    return {
      model,
      version: `${epoch}:${model.from}:${model.rows.length}:${model.actors.size}:${count}:${runs}`
    }
  }, [cache, count, cursor, epoch, runs])
}
