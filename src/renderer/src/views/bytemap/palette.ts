// Colours of a Parquet object's parts (Okabe–Ito, colour-blind safe); every part is also labelled.
export const COLUMN_COLORS = [
  '#56b4e9',
  '#e69f00',
  '#009e73',
  '#f0e442',
  '#0072b2',
  '#d55e00',
  '#cc79a7',
  '#999999'
]
export const FOOTER_COLOR = '#cc79a7'

export function columnColor(columns: string[], name: string): string {
  const i = columns.indexOf(name)
  return i < 0 ? '#888888' : COLUMN_COLORS[i % COLUMN_COLORS.length]
}

/** Colour of what a request fetched: its column, the footer, or neutral. */
export function kindColor(columns: string[], kind: string): string {
  if (kind === 'footer') return FOOTER_COLOR
  if (columns.includes(kind)) return columnColor(columns, kind)
  return 'var(--muted)'
}
