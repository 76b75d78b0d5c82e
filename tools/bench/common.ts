/** Small helpers shared by the benchmark modules. */
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Client } from 'pg';

export const ROOT = resolve(__dirname, '../..');

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

const STARTED = performance.now();
const elapsed = (): string => `${((performance.now() - STARTED) / 1000).toFixed(0).padStart(3)} s`;

export function step(line: string): void {
  console.error(`[bench ${elapsed()}] ${line}`);
}

export function warn(line: string): void {
  console.error(`[bench ${elapsed()}] WARNING: ${line}`);
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

export async function withPostgres<T>(url: string, use: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: url });
  // A connection the cleanup terminates (DROP DATABASE ... WITH (FORCE)) must not crash the bench.
  db.on('error', () => undefined);
  await db.connect();
  try {
    return await use(db);
  } finally {
    await db.end();
  }
}

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface Percentiles {
  samples: number;
  p50: number;
  p95: number;
  p99: number;
}

export function percentilesOf(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}

/** A (seconds, count) sample of a growing row count. */
export interface CountSample {
  atMs: number;
  count: number;
}

/** Least-squares slope of count over time, in rows per second (NaN with fewer than 2 samples). */
export function slopePerSecond(samples: CountSample[]): number {
  if (samples.length < 2) return NaN;
  const n = samples.length;
  const meanT = samples.reduce((sum, s) => sum + s.atMs, 0) / n;
  const meanC = samples.reduce((sum, s) => sum + s.count, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.atMs - meanT) * (s.count - meanC);
    den += (s.atMs - meanT) ** 2;
  }
  return den === 0 ? NaN : (num / den) * 1000;
}

/**
 * Rows the processor stored, as it credits them to their batches in the transaction that inserts
 * them (`sum(ingest_batches.processed)`): exact, and a scan of one row per batch instead of
 * `count(*)` over a readings table of millions every two seconds, which cost the machine under
 * test a tenth of a core. `countReadings` checks it against `count(*)` at the end of the run.
 */
const CREDITED_SQL = 'SELECT coalesce(sum(processed), 0) AS n FROM ingest_batches';

/**
 * Samples the stored rows (CREDITED_SQL) every `everyMs` until stopped; each sample is stamped
 * at the middle of its query.
 */
export class RowCounter {
  readonly samples: CountSample[] = [];
  private running = true;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly databaseUrl: string,
    private readonly everyMs: number,
  ) {}

  start(): void {
    this.loop = withPostgres(this.databaseUrl, async (db) => {
      while (this.running) {
        const before = performance.now();
        const { rows } = await db.query<{ n: string }>(CREDITED_SQL);
        const after = performance.now();
        this.samples.push({ atMs: (before + after) / 2, count: Number(rows[0].n) });
        const wait = this.everyMs - (performance.now() - before);
        if (wait > 0 && this.running) await sleep(wait);
      }
    });
  }

  async stop(): Promise<CountSample[]> {
    this.running = false;
    await this.loop;
    return this.samples;
  }

  /** The samples taken between two instants (performance.now()). */
  between(fromMs: number, toMs: number): CountSample[] {
    return this.samples.filter((s) => s.atMs >= fromMs && s.atMs <= toMs);
  }
}

/** The rows in the readings table, and the rows the processor credited to batches. */
export async function countReadings(
  databaseUrl: string,
): Promise<{ rows: number; credited: number }> {
  return withPostgres(databaseUrl, async (db) => {
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM readings');
    const credited = await db.query<{ n: string }>(CREDITED_SQL);
    return { rows: Number(rows[0].n), credited: Number(credited.rows[0].n) };
  });
}
