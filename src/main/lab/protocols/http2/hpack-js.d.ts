// The parts of hpack.js (CommonJS, untyped) the HTTP/2 dissector uses: its bit-level decoder
// (integers, Huffman strings) and its header table (static + dynamic, with eviction).
declare module 'hpack.js' {
  interface TableEntry {
    name: string
    value: string
    nameSize: number
    totalSize: number
  }
  interface Table {
    dynamic: TableEntry[]
    size: number
    maxSize: number
    protocolMaxSize: number
    length: number
    lookup(index: number): TableEntry
    add(name: string, value: string, nameSize: number, valueSize: number): void
    updateSize(size: number): void
  }
  interface Decoder {
    buffer: { size: number }
    bitOffset: number
    isEmpty(): boolean
    push(chunk: Uint8Array): void
    decodeBit(): number
    decodeInt(): number
    decodeStr(): ArrayLike<number>
  }
  interface Compressor {
    write(headers: { name: string; value: string; neverIndex?: boolean; huffman?: boolean }[]): void
    read(): Uint8Array | null
  }
  interface Decompressor {
    write(data: Uint8Array): void
    execute(): void
    read(): { name: string; value: string; neverIndex: boolean } | null
  }
  const hpack: {
    decoder: { create(): Decoder }
    table: { create(options: { maxSize: number }): Table }
    compressor: { create(options: { table: { maxSize: number } }): Compressor }
    decompressor: { create(options: { table: { maxSize: number } }): Decompressor }
    utils: { stringify(arr: ArrayLike<number>): string }
    'static-table': { table: TableEntry[] }
  }
  export default hpack
}
