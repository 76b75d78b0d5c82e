/** The one table `npm run bench` prints: figures, targets and verdicts, with the machine. */
import { cpus, loadavg, totalmem } from 'node:os';
import type { Percentiles } from './common';

export interface Row {
  measure: string;
  figure: string;
  target?: string;
  /** true = met, false = not met, undefined = no target. */
  met?: boolean;
}

export interface Machine {
  nproc: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  postgres: string;
  /** 1-minute load average when the bench started and when it printed. */
  loadBefore: number;
  loadAfter: number;
}

export function machine(postgresVersion: string, loadBefore: number): Machine {
  return {
    nproc: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: totalmem() / 2 ** 30,
    node: process.version,
    postgres: postgresVersion,
    loadBefore,
    loadAfter: loadavg()[0],
  };
}

export const integer = (value: number): string =>
  Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';

export const ms = (value: number): string =>
  value === Infinity
    ? 'timeout'
    : Number.isFinite(value)
      ? `${value.toFixed(value < 10 ? 1 : 0)} ms`
      : 'n/a';

export const percentiles = (p: Percentiles): string =>
  `p50 ${ms(p.p50)} / p95 ${ms(p.p95)} / p99 ${ms(p.p99)} (n=${p.samples})`;

export const ratio = (value: number, limit: number): string =>
  Number.isFinite(value) && Number.isFinite(limit) && limit > 0
    ? `${((value / limit) * 100).toFixed(1)} % of the limit`
    : 'n/a';

/** A verdict only when the figure could be measured. */
export function verdict(value: number, test: (value: number) => boolean): boolean | undefined {
  return Number.isNaN(value) ? undefined : test(value);
}

export function renderTable(title: string, who: Machine, command: string, rows: Row[]): string {
  const header = ['measure', 'figure', 'target', 'verdict'];
  const cells = rows.map((row) => [
    row.measure,
    row.figure,
    row.target ?? '',
    row.target === undefined
      ? ''
      : row.met === undefined
        ? 'not measured'
        : row.met
          ? 'met'
          : 'NOT MET',
  ]);
  const widths = header.map((_, column) =>
    Math.max(header[column].length, ...cells.map((line) => line[column].length)),
  );
  const line = (values: string[]): string =>
    `| ${values.map((value, column) => value.padEnd(widths[column])).join(' | ')} |`;
  return [
    title,
    `machine: ${who.nproc} x ${who.cpu}, ${who.memoryGiB.toFixed(1)} GiB RAM, Node ${who.node}, ${who.postgres}`,
    `load average (1 min): ${who.loadBefore.toFixed(2)} at the start, ${who.loadAfter.toFixed(2)} at the end ` +
      '(anything else running skews the figures)',
    `command: ${command}`,
    '',
    line(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...cells.map(line),
  ].join('\n');
}
