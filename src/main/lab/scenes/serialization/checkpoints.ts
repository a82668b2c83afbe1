// "Serialization" checkpoints: how small Protobuf is next to JSON, read from the encodings the
// libraries produced; and the course's own question (seed 001) on schema evolution.
import type { LabEvent } from '../../../../shared/events'
import type { CheckpointInfo } from '../../../../shared/scene'
import { choice, pdusOf, type Reveal } from '../checkpoint-tools'

export const PROTOBUF_SIZE: CheckpointInfo = {
  id: 'serialization.protobuf-size',
  action: 'encode',
  question: {
    en: 'The same reading, encoded as JSON and as Protobuf. How big will the Protobuf bytes be next to the JSON?',
    pt: 'A mesma leitura, codificada em JSON e em Protobuf. De que tamanho ficam os bytes Protobuf perto do JSON?'
  },
  choices: [
    choice('same', 'About the same size', 'Mais ou menos do mesmo tamanho'),
    choice('half', 'About half', 'Mais ou menos a metade'),
    choice('third', 'A third or less', 'Um terço ou menos')
  ],
  source: 'seed 001, "Por que binário é mais rápido?"'
}

const sizes = (events: readonly LabEvent[]): Map<string, number> => {
  const out = new Map<string, number>()
  for (const p of pdusOf(events)) if (p.keys?.size !== undefined && p.keys?.format) out.set(String(p.keys.format), Number(p.keys.size))
  return out
}

export function revealProtobufSize(events: readonly LabEvent[]): Reveal {
  const s = sizes(events)
  const json = s.get('json') ?? 0
  const pb = s.get('protobuf') ?? 0
  const ratio = pb ? json / pb : 0
  return {
    answer: pb ? [ratio >= 2.7 ? 'third' : ratio >= 1.5 ? 'half' : 'same'] : [],
    explain: {
      en: `JSON ${json} bytes, Protobuf ${pb} bytes: ${ratio.toFixed(1)}× smaller. JSON spells every field name and every digit as text; Protobuf replaces each name with a one-byte tag (field << 3 | wire type) and writes numbers in binary.`,
      pt: `JSON ${json} bytes, Protobuf ${pb} bytes: ${ratio.toFixed(1).replace('.', ',')}× menor. O JSON soletra cada nome de campo e cada dígito como texto; o Protobuf troca cada nome por uma tag de um byte (campo << 3 | wire type) e escreve os números em binário.`
    }
  }
}

export const SCHEMA_EVOLUTION: CheckpointInfo = {
  id: 'serialization.evolution',
  action: 'evolve-add',
  question: {
    en: 'A Kafka topic with 500 producers whose schema keeps changing: JSON, Protobuf or Avro? Watch a v2 writer meet a v1 reader: which format keeps old readers working with the fewest bytes per message?',
    pt: 'Um tópico Kafka com 500 producers e schema que muda sempre: JSON, Protobuf ou Avro? Veja um escritor v2 encontrar um leitor v1: qual formato mantém os leitores antigos funcionando com menos bytes por mensagem?'
  },
  choices: [choice('json', 'JSON', 'JSON'), choice('protobuf', 'Protobuf', 'Protobuf'), choice('avro', 'Avro', 'Avro')],
  source: 'seed 001, "Checkpoint: Teste seu Entendimento", question 4'
}

/**
 * `result` is what the step measured: each format's size and what the old reader decoded (absent
 * when it failed). JSON's size comes from the latest plain encoding in the log, when there is one.
 */
export function revealSchemaEvolution(
  events: readonly LabEvent[],
  all: readonly LabEvent[],
  result: Record<string, { size: number; oldReader?: unknown }>
): Reveal {
  const ok = Object.entries(result).filter(([, r]) => r.oldReader !== undefined)
  const json = [...sizes(all.filter((e) => e.kind === 'pdu' && e.keys?.source === 'encoder'))].find(([f]) => f === 'json')?.[1]
  // JSON readers skip unknown keys too; its v1 size is a lower bound of its v2 size.
  const candidates = json ? [...ok, ['json', { size: json }] as const] : ok
  const best = [...candidates].sort((a, b) => a[1].size - b[1].size)[0]
  const wire = sizes(events)
  const line = (f: string): string => `${f} ${wire.get(f) ?? result[f]?.size ?? '—'} B`
  return {
    answer: best ? [best[0]] : [],
    explain: {
      en: `The old readers kept working: ${ok.map(([f]) => f).join(' and ')}. On the wire: ${line('avro')}, ${line('protobuf')}${json ? `, JSON ${json} B (names repeated in every message)` : ''}. Avro's bytes carry no names and no tags — the reader resolves them with the writer's schema, which is what a schema registry provides — so it is the smallest and evolves safely; that is why Kafka pairs it with the Schema Registry.`,
      pt: `Os leitores antigos continuaram funcionando: ${ok.map(([f]) => f).join(' e ')}. No fio: ${line('avro')}, ${line('protobuf')}${json ? `, JSON ${json} B (nomes repetidos em cada mensagem)` : ''}. Os bytes Avro não levam nomes nem tags — o leitor os resolve com o schema do escritor, que é o que um schema registry fornece — por isso é o menor e evolui com segurança; é por isso que o Kafka o usa com o Schema Registry.`
    }
  }
}
