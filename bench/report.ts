/** The bench's human-readable table. */
import type { LoadFigures } from './load';

export interface Row {
  figure: LoadFigures;
  /** Throughput as a share of the raw node:http yardstick (reads only). */
  ratio?: number;
  body?: number;
}

const columns = ['measurement', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'vs raw', 'body B', 'non-2xx'] as const;

export function printTable(rows: Row[]): void {
  const cells = rows.map((r) => [
    r.figure.title,
    r.figure.rps.toFixed(0),
    String(r.figure.p50),
    String(r.figure.p99),
    Number.isNaN(r.figure.max) ? '' : String(r.figure.max),
    r.ratio === undefined ? '' : `${(r.ratio * 100).toFixed(0)}%`,
    r.body === undefined ? '' : String(r.body),
    String(r.figure.non2xx + r.figure.errors),
  ]);
  printCells(columns, cells);
}

/** A Markdown table, as docs/benchmarks.md records it: the first column to the left, figures to the right. */
export function printCells(columns: readonly string[], cells: readonly (readonly string[])[]): void {
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]?.length ?? 0)));
  const line = (values: readonly string[]) =>
    `| ${values.map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join(' | ')} |`;
  console.log(line(columns));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const row of cells) console.log(line(row));
}

/** Each target, met or MISSED, with its figure. */
export function printTargets(targets: readonly (readonly [target: string, met: boolean, figure: string])[]): void {
  const width = Math.max(...targets.map(([target]) => target.length));
  for (const [target, met, figure] of targets) console.log(`${met ? 'met   ' : 'MISSED'}  ${target.padEnd(width)} ${figure}`);
}
