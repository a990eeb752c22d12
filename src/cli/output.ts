// Printing and exit codes shared by the commands: 0 all done, 1 a repository/registry/file error, 2 usage/config.
export const EXIT_OK = 0
export const EXIT_PROBLEMS = 1
export const EXIT_USAGE = 2

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

/** Colour and progress only for a person at a terminal: never into a pipe or file, never with NO_COLOR set. */
export function colourOn(stream: NodeJS.WriteStream): boolean {
  const noColor = process.env.NO_COLOR
  return stream.isTTY === true && (noColor === undefined || noColor === '')
}

const SGR = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', cyan: '36' } as const
export type Style = keyof typeof SGR

/** `paint(text, 'bold')` on a colour terminal, plain text otherwise. */
export function painter(stream: NodeJS.WriteStream = process.stdout): (text: string, style: Style) => string {
  return colourOn(stream) ? (text, style) => `\x1b[${SGR[style]}m${text}\x1b[0m` : (text) => text
}

/** Rows as aligned columns under a header (bold on a colour terminal); cells are padded by visible width. */
export function formatTable(header: string[], rows: string[][], indent = ''): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  )
  const line = (cells: string[]) =>
    `${indent}${cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd()}`
  const paint = painter()
  return [paint(line(header), 'bold'), ...rows.map(line)].join('\n')
}

export function printTable(header: string[], rows: string[][], indent = ''): void {
  process.stdout.write(`${formatTable(header, rows, indent)}\n`)
}

/** Sorts rows by their columns left to right, so output is stable whatever order files were read in. */
export function sortRows(rows: string[][]): string[][] {
  return rows.sort((a, b) => {
    for (let column = 0; column < Math.max(a.length, b.length); column++) {
      const order = (a[column] ?? '').localeCompare(b[column] ?? '')
      if (order !== 0) return order
    }
    return 0
  })
}
