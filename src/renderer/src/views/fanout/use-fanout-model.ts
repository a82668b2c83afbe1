// One fan-out model for the fan-out view, the topic tree and the MQTT lesson panel, advanced
// incrementally as the log grows (see model.ts).
import { useMemo } from 'react'
import { runStart, useLab, useLogVersion } from '../../store'
import { FanoutModelCache, type FanoutModel } from './model'

const cache = new FanoutModelCache()

export function useFanoutModel(): { model: FanoutModel; cursor: number; version: string } {
  const { count, cursor, epoch } = useLogVersion()
  return useMemo(() => {
    const s = useLab.getState()
    const model = cache.get(s.events, epoch, runStart(s), count, s.nodes)
    return { model, cursor, version: `${epoch}:${model.from}:${count}:${cursor}` }
  }, [count, cursor, epoch])
}
