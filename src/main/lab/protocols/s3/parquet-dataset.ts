// The lesson's data lake: `vendas` (sales) as real Parquet files written with hyparquet-writer,
// a few files with several row groups each, and six columns of different widths, so a query that
// touches two of them reads a small part of each object.
import { parquetWriteBuffer } from 'hyparquet-writer'

export const COLUMNS = ['id_venda', 'data', 'loja', 'produto', 'cliente', 'valor'] as const
export type Column = (typeof COLUMNS)[number]

const NOMES = ['ana', 'bruno', 'carla', 'diego', 'elisa', 'fabio', 'gabi', 'hugo', 'iara', 'joao', 'lia', 'marcos']
const SOBRENOMES = ['souza', 'silva', 'costa', 'lima', 'alves', 'rocha', 'pereira', 'gomes', 'dias', 'ramos']

const LOJAS = ['Centro', 'Savassi', 'Pampulha', 'Barreiro', 'Venda Nova']
const PRODUTOS: [string, number][] = [
  ['Café', 6.5],
  ['Pão de queijo', 4.9],
  ['Bolo de fubá', 9.9],
  ['Suco de laranja', 8.0],
  ['Misto quente', 12.5],
  ['Açaí', 18.0],
  ['Coxinha', 7.5],
  ['Água', 3.5]
]

export interface DatasetOptions {
  files: number
  rowsPerFile: number
  rowGroupsPerFile: number
}

export const DEFAULT_DATASET: DatasetOptions = { files: 3, rowsPerFile: 16_000, rowGroupsPerFile: 4 }

/** Deterministic pseudo-random numbers (xorshift32), so every run writes the same bytes. */
function rng(seed: number): () => number {
  let x = seed | 1
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 0x100000000
  }
}

export interface ParquetObject {
  /** Object key, Hive-style: `vendas/part-00000.parquet`. */
  key: string
  bytes: Uint8Array
  rows: number
}

/** Writes the files: each one a day of sales (2024-03-01, -02, …). */
export function writeVendas(o: DatasetOptions = DEFAULT_DATASET): ParquetObject[] {
  const out: ParquetObject[] = []
  let id = 1_000_000
  for (let f = 0; f < o.files; f++) {
    const r = rng(0x5eed + f)
    const n = o.rowsPerFile
    const day = `2024-03-${String(f + 1).padStart(2, '0')}`
    const ids: bigint[] = []
    const datas: string[] = []
    const lojas: string[] = []
    const produtos: string[] = []
    const clientes: string[] = []
    const valores: number[] = []
    for (let i = 0; i < n; i++) {
      const [produto, preco] = PRODUTOS[Math.floor(r() * PRODUTOS.length)]
      const q = 1 + Math.floor(r() * 4)
      ids.push(BigInt(id++))
      datas.push(day)
      lojas.push(LOJAS[Math.floor(r() * LOJAS.length)])
      produtos.push(produto)
      clientes.push(`${NOMES[Math.floor(r() * NOMES.length)]}.${SOBRENOMES[Math.floor(r() * SOBRENOMES.length)]}${Math.floor(r() * 9000) + 100}@exemplo.com.br`)
      valores.push(Math.round(q * preco * (0.9 + r() * 0.2) * 100) / 100)
    }
    const buf = parquetWriteBuffer({
      columnData: [
        { name: 'id_venda', data: ids, type: 'INT64', nullable: false },
        { name: 'data', data: datas, type: 'STRING', nullable: false },
        { name: 'loja', data: lojas, type: 'STRING', nullable: false },
        { name: 'produto', data: produtos, type: 'STRING', nullable: false },
        { name: 'cliente', data: clientes, type: 'STRING', nullable: false },
        { name: 'valor', data: valores, type: 'DOUBLE', nullable: false }
      ],
      rowGroupSize: Math.ceil(n / o.rowGroupsPerFile),
      createdBy: 'Wirelab (hyparquet-writer)'
    })
    out.push({ key: `vendas/data=${day}/part-${String(f).padStart(5, '0')}.parquet`, bytes: new Uint8Array(buf), rows: n })
  }
  return out
}
