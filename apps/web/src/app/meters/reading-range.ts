import { Aggregation, type LiveReading, type Parameter } from '@gridwatch/contracts';

/** The range picker's choices: a span ending now, or a custom from/to. */
export type RangePreset = 'hour' | 'day' | 'week' | 'month' | 'custom';

export const RANGE_PRESETS: readonly { value: RangePreset; label: string }[] = [
  { value: 'hour', label: 'Last hour' },
  { value: 'day', label: 'Last 24 hours' },
  { value: 'week', label: 'Last 7 days' },
  { value: 'month', label: 'Last 30 days' },
  { value: 'custom', label: 'Custom' },
];

const HOUR_MS = 3_600_000;
const PRESET_SPAN_MS: Record<Exclude<RangePreset, 'custom'>, number> = {
  hour: HOUR_MS,
  day: 24 * HOUR_MS,
  week: 7 * 24 * HOUR_MS,
  month: 30 * 24 * HOUR_MS,
};

/** A time range and the aggregation its chart asks the API for. */
export interface ReadingRange {
  from: Date;
  to: Date;
  aggregation: Aggregation;
  /** A range ending now: live readings extend it. */
  live: boolean;
}

/**
 * The aggregation that keeps a chart readable and its request small: raw up to 3 hours, 5-minute
 * buckets up to 2 days (576 points), hourly up to 14 days (336), daily beyond.
 */
export function aggregationFor(from: Date, to: Date): Aggregation {
  const span = to.getTime() - from.getTime();
  if (span <= 3 * HOUR_MS) return Aggregation.Raw;
  if (span <= 48 * HOUR_MS) return Aggregation.FiveMinutes;
  if (span <= 14 * 24 * HOUR_MS) return Aggregation.Hourly;
  return Aggregation.Daily;
}

/** The range of a preset ending `now`, or of custom bounds (swapped when given backwards). */
export function rangeOf(
  preset: RangePreset,
  now: Date,
  custom?: { from: Date; to: Date },
): ReadingRange {
  if (preset === 'custom') {
    if (!custom) throw new Error('A custom range needs its bounds');
    const [from, to] =
      custom.from.getTime() <= custom.to.getTime()
        ? [custom.from, custom.to]
        : [custom.to, custom.from];
    return { from, to, aggregation: aggregationFor(from, to), live: false };
  }
  const from = new Date(now.getTime() - PRESET_SPAN_MS[preset]);
  return { from, to: now, aggregation: aggregationFor(from, now), live: true };
}

/** One point of a chart series: [epoch ms, value]. */
export type ChartPoint = [number, number];

/** What the readings API answers per point (raw value, or a bucket's average). */
export interface ReadingPoint {
  ts: string;
  parameter: Parameter;
  value: number | null;
}

/** The parameter's points in time order; empty buckets (null averages) are gaps, not zeros. */
export function seriesOf(points: readonly ReadingPoint[], parameter: Parameter): ChartPoint[] {
  return points
    .filter((point) => point.parameter === parameter && point.value !== null)
    .map((point): ChartPoint => [Date.parse(point.ts), point.value as number])
    .sort((a, b) => a[0] - b[0]);
}

/**
 * The series with the live readings of `parameter` added: a reading at a time already drawn
 * replaces that point (a resend), a newer one is appended, and a reading before the range is
 * dropped.
 */
export function withLiveReadings(
  series: readonly ChartPoint[],
  readings: readonly LiveReading[],
  parameter: Parameter,
  since: Date,
): ChartPoint[] {
  const next = [...series];
  for (const reading of readings) {
    if (reading.parameter !== parameter) continue;
    const at = Date.parse(reading.ts);
    if (Number.isNaN(at) || at < since.getTime()) continue;
    const existing = next.findIndex((point) => point[0] === at);
    if (existing >= 0) next[existing] = [at, reading.value];
    else next.push([at, reading.value]);
  }
  return next.sort((a, b) => a[0] - b[0]);
}
