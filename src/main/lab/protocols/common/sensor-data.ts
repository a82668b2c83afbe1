// The sensors the RPC lessons serve, in one place, so REST, GraphQL and gRPC return the same data:
// the course's sensor "A1" at 23.5 °C (seed 001's reading) and two more. Values are fixed, so runs
// are repeatable and byte counts can be compared between runs.

export interface Leitura {
  valor: number
  /** Seconds since 1970-01-01 UTC. */
  timestamp: number
}

export interface SensorRecord {
  id: string
  local: string
  modelo: string
  unidade: string
  firmware: string
  bateria: number
  /** Newest first. */
  leituras: Leitura[]
}

/** 2025-11-22 12:00:00 UTC, the serialization lesson's timestamp. */
const T0 = 1763812800

const series = (values: number[]): Leitura[] => values.map((valor, i) => ({ valor, timestamp: T0 - i * 60 }))

export const SENSORES: readonly SensorRecord[] = [
  {
    id: 'A1',
    local: 'Sala 101',
    modelo: 'DHT22',
    unidade: '°C',
    firmware: '1.4.2',
    bateria: 87,
    leituras: series([23.5, 23.4, 23.1, 22.9, 22.8, 22.8, 22.6, 22.5, 22.5, 22.4])
  },
  {
    id: 'B2',
    local: 'Laboratório 2',
    modelo: 'BME280',
    unidade: '°C',
    firmware: '2.0.1',
    bateria: 64,
    leituras: series([19.8, 19.9, 20.1, 20.0, 20.2, 20.3, 20.1, 20.0, 19.9, 19.7])
  },
  {
    id: 'C3',
    local: 'Data center',
    modelo: 'DS18B20',
    unidade: '°C',
    firmware: '1.1.0',
    bateria: 100,
    leituras: series([27.2, 27.0, 26.9, 27.1, 27.3, 27.4, 27.2, 27.1, 27.0, 26.8])
  }
]

export function findSensor(id: string): SensorRecord | undefined {
  return SENSORES.find((s) => s.id === id)
}

/** A sensor with only its `n` newest readings (n clamped to what exists). */
export function withLatest(s: SensorRecord, n: number): SensorRecord {
  return { ...s, leituras: s.leituras.slice(0, Math.max(0, Math.min(s.leituras.length, n))) }
}

/**
 * The i-th reading a live stream of sensor `s` produces (i from 0): the newest stored reading
 * with a small, deterministic drift, one minute apart.
 */
export function liveReading(s: SensorRecord, i: number): Leitura & { historico: number[] } {
  const base = s.leituras[0]
  const drift = [0, 0.1, 0.2, 0.1, -0.1, -0.2, 0, 0.3][i % 8]
  const valor = Math.round((base.valor + drift) * 10) / 10
  // The three stored readings before it, in tenths of a degree (sint32 in sensor.proto).
  const historico = s.leituras.slice(1, 4).map((l) => Math.round(l.valor * 10))
  return { valor, timestamp: base.timestamp + i * 60, historico }
}
