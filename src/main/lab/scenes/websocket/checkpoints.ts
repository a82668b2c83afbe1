// "WebSocket" checkpoint: which frames on the wire are masked, read from every frame's mask bit.
import type { LabEvent } from '../../../../shared/events'
import type { CheckpointInfo } from '../../../../shared/scene'
import { choice, pdusOf, type Reveal } from '../checkpoint-tools'

export const MASKED: CheckpointInfo = {
  id: 'websocket.masked',
  action: 'chat',
  question: {
    en: 'Ana, Bruno and Carla upgrade to WebSocket and chat. Which frames on the wire will be masked?',
    pt: 'Ana, Bruno e Carla passam para WebSocket e conversam. Quais frames no fio vão mascarados?'
  },
  choices: [
    choice('c2s', 'Only client → server', 'Só cliente → servidor'),
    choice('s2c', 'Only server → client', 'Só servidor → cliente'),
    choice('both', 'Both directions', 'Os dois sentidos'),
    choice('none', 'None: TLS would do that', 'Nenhum: isso seria papel do TLS')
  ],
  source: 'seed 001, Upgrade and frames'
}

export function revealMasked(events: readonly LabEvent[]): Reveal {
  const frames = pdusOf(events, 'websocket')
  const count = (dir: 'c2s' | 's2c', masked: boolean) =>
    frames.filter((f) => f.dir === dir && (f.keys?.masked === true) === masked).length
  const c2s = count('c2s', true)
  const s2c = count('s2c', true)
  const answer = c2s && s2c ? 'both' : c2s ? 'c2s' : s2c ? 's2c' : 'none'
  return {
    answer: [answer],
    explain: {
      en: `Of ${frames.length} frames, ${c2s} of ${c2s + count('c2s', false)} client → server frames carried a 4-byte mask key and ${s2c} of ${s2c + count('s2c', false)} server → client frames did. The protocol requires clients to mask (so a proxy cannot mistake the bytes for HTTP) and forbids servers to.`,
      pt: `De ${frames.length} frames, ${c2s} de ${c2s + count('c2s', false)} frames cliente → servidor levavam uma chave de máscara de 4 bytes, e ${s2c} de ${s2c + count('s2c', false)} servidor → cliente. O protocolo obriga o cliente a mascarar (para um proxy não confundir os bytes com HTTP) e proíbe o servidor.`
    }
  }
}
