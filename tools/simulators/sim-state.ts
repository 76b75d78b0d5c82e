import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MeterCounters } from './load-profile';

export const DEFAULT_SIM_STATE_PATH = '.gridwatch/sim-state.json';

interface SimStateFile {
  version: 1;
  /** Counters per meter UUID. */
  meters: Record<string, MeterCounters>;
}

/**
 * The simulators' meter registers on disk, so a restarted simulator carries on from where its
 * counters were instead of starting again (an energy_kwh that went backwards would read as a
 * meter reset). Several simulators may share the file: saving merges, keeping the later entry.
 */
export class SimState {
  private readonly meters = new Map<string, MeterCounters>();

  constructor(private readonly path: string = DEFAULT_SIM_STATE_PATH) {
    for (const [id, counters] of Object.entries(readStateFile(path))) this.meters.set(id, counters);
  }

  get(meterId: string): MeterCounters | undefined {
    return this.meters.get(meterId);
  }

  set(meterId: string, counters: MeterCounters): void {
    this.meters.set(meterId, counters);
  }

  /** Writes atomically (temp file + rename), merged with whatever another simulator saved meanwhile. */
  save(): void {
    const merged = readStateFile(this.path);
    for (const [id, counters] of this.meters) {
      const other = merged[id];
      if (!other || other.atMs <= counters.atMs) merged[id] = counters;
      else this.meters.set(id, other);
    }
    const file: SimStateFile = { version: 1, meters: merged };
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(file));
    renameSync(temporary, this.path);
  }
}

function readStateFile(path: string): Record<string, MeterCounters> {
  if (!existsSync(path)) return {};
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<SimStateFile>;
    const meters: Record<string, MeterCounters> = {};
    for (const [id, entry] of Object.entries(parsed.meters ?? {})) {
      if (isCounters(entry)) meters[id] = entry;
    }
    return meters;
  } catch (error) {
    // A corrupt file must not stop the demo; counters restart from their seeded values.
    console.warn(`ignoring unreadable ${path}: ${(error as Error).message}`);
    return {};
  }
}

function isCounters(value: unknown): value is MeterCounters {
  const entry = value as Partial<MeterCounters> | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    Number.isFinite(entry.energyKwh) &&
    Number.isFinite(entry.waterM3) &&
    Number.isFinite(entry.atMs)
  );
}
