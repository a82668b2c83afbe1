// The "capture real frames" switch, for every lesson: while on, the running lesson's public ports
// are captured (FrameLog) from its start to its stop; turning it on mid-lesson starts at once.
// Each change, and why capture is unavailable where it is, is logged: never silent.
import type { PortInfo } from '../../../shared/events'
import type { CaptureState } from '../../../shared/api'
import type { Session } from '../session/session'
import { CAPTURE_HOWTO, FrameLog } from './frame-log'

export class CaptureSwitch {
  private on = false
  private available: boolean | null = null
  private reason: string | undefined
  private log: FrameLog | null = null

  constructor(private readonly session: Session) {}

  state(): CaptureState {
    return { on: this.on, available: this.available, ...(this.reason ? { reason: this.reason } : {}) }
  }

  /** Turns capture on or off; `ports` are the running lesson's (null when none runs). */
  async set(on: boolean, ports: readonly PortInfo[] | null): Promise<CaptureState> {
    if (on === this.on) return this.state()
    this.on = on
    if (!on) {
      this.detach()
      this.session.append({ kind: 'note', key: 'capture.off', text: { en: 'Real frame capture off: the layers view reconstructs the headers.', pt: 'Captura de frames reais desligada: a visão de camadas reconstrói os cabeçalhos.' } })
    } else if (ports) await this.attach(ports)
    return this.state()
  }

  /** A lesson started: capture its ports if the switch is on. */
  async attach(ports: readonly PortInfo[]): Promise<void> {
    if (!this.on || this.log) return
    const log = new FrameLog(this.session, ports)
    const r = await log.start()
    this.available = r.ok
    if (!r.ok) {
      this.reason = r.reason
      this.on = false
      this.session.append({
        kind: 'note',
        key: 'capture.unavailable',
        level: 'warn',
        text: {
          en: `Real frames cannot be captured here (${r.reason}): the layers view shows headers rebuilt from the connection. To capture, ${CAPTURE_HOWTO.en}.`,
          pt: `Não é possível capturar frames reais aqui (${r.reason}): a visão de camadas mostra cabeçalhos reconstruídos a partir da conexão. Para capturar, ${CAPTURE_HOWTO.pt}.`
        }
      })
      return
    }
    this.reason = undefined
    this.log = log
    const list = ports.map((p) => `${p.port}/${p.transport}`).join(', ')
    this.session.append({
      kind: 'note',
      key: 'capture.on',
      text: {
        en: `Real frames on: dumpcap captures ${list} on the loopback interface. The layers view shows the frames as the kernel sent them.`,
        pt: `Frames reais ligados: o dumpcap captura ${list} na interface de loopback. A visão de camadas mostra os frames como o kernel os enviou.`
      }
    })
  }

  /** Resolves once what was sent so far has been captured. */
  settle(): Promise<boolean> {
    return this.log?.settle() ?? Promise.resolve(false)
  }

  detach(): void {
    const log = this.log
    this.log = null
    if (!log) return
    log.stop()
    if (log.unmatched)
      this.session.append({
        kind: 'note',
        key: 'capture.unmatched',
        text: {
          en: `${log.unmatched} captured frame${log.unmatched === 1 ? '' : 's'} matched no connection of the log (not shown).`,
          pt: `${log.unmatched} frame${log.unmatched === 1 ? '' : 's'} capturado${log.unmatched === 1 ? '' : 's'} sem conexão correspondente no registro (não mostrado${log.unmatched === 1 ? '' : 's'}).`
        }
      })
  }
}
