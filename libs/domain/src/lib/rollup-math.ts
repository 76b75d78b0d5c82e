export interface TimedValue {
  ts: Date;
  value: number;
}

/** What a rollup bucket keeps of its readings; avg is sum / count. */
export interface RollupAggregate {
  count: number;
  sum: number;
  min: number;
  max: number;
  firstTs: Date;
  firstValue: number;
  lastTs: Date;
  lastValue: number;
}

/** The aggregate of `readings`, in any order; null when there are none. */
export function aggregateOf(readings: readonly TimedValue[]): RollupAggregate | null {
  return readings.map(aggregateOfOne).reduce<RollupAggregate | null>(mergeAggregates, null);
}

/**
 * Combines the aggregates of two disjoint sets of readings, in either order and any grouping.
 * First is the earliest reading and last the latest; at equal timestamps first takes the smaller
 * value and last the larger, so that the answer does not depend on the order of merging.
 */
export function mergeAggregates(a: RollupAggregate, b: RollupAggregate | null): RollupAggregate;
export function mergeAggregates(a: RollupAggregate | null, b: RollupAggregate): RollupAggregate;
export function mergeAggregates(
  a: RollupAggregate | null,
  b: RollupAggregate | null,
): RollupAggregate | null;
export function mergeAggregates(
  a: RollupAggregate | null,
  b: RollupAggregate | null,
): RollupAggregate | null {
  if (!a || !b) {
    return a ?? b;
  }
  const first = isEarlier(b.firstTs, b.firstValue, a.firstTs, a.firstValue) ? b : a;
  const last = isEarlier(a.lastTs, a.lastValue, b.lastTs, b.lastValue) ? b : a;
  return {
    count: a.count + b.count,
    sum: a.sum + b.sum,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    firstTs: first.firstTs,
    firstValue: first.firstValue,
    lastTs: last.lastTs,
    lastValue: last.lastValue,
  };
}

/** A counter that drops below this fraction of its previous value was reset (or rolled over). */
export const DEFAULT_COUNTER_RESET_FRACTION = 0.1;

/**
 * One step of a cumulative counter: a rise counts its difference; a drop near zero (below
 * `resetFraction` of the previous value) is a reset, and the new value is what it counted since;
 * any other drop is a glitch, which counts nothing.
 */
export type CounterStep =
  | { kind: 'rise'; consumption: number }
  | { kind: 'reset'; consumption: number }
  | { kind: 'glitch'; consumption: 0 };

export function counterStep(
  previous: number,
  current: number,
  resetFraction = DEFAULT_COUNTER_RESET_FRACTION,
): CounterStep {
  if (current >= previous) return { kind: 'rise', consumption: current - previous };
  if (current < previous * resetFraction) return { kind: 'reset', consumption: current };
  return { kind: 'glitch', consumption: 0 };
}

/**
 * What a cumulative counter consumed across readings sorted by time: the sum of its steps (see
 * counterStep). Each step depends only on the reading before it, so consumption splits exactly
 * at any reading: a bucket's consumption needs only its readings and the one before them.
 */
export function counterConsumption(
  sortedValues: readonly TimedValue[],
  resetFraction = DEFAULT_COUNTER_RESET_FRACTION,
): number {
  let consumption = 0;
  for (let i = 1; i < sortedValues.length; i++) {
    consumption += counterStep(
      sortedValues[i - 1].value,
      sortedValues[i].value,
      resetFraction,
    ).consumption;
  }
  return consumption;
}

function aggregateOfOne({ ts, value }: TimedValue): RollupAggregate {
  return {
    count: 1,
    sum: value,
    min: value,
    max: value,
    firstTs: ts,
    firstValue: value,
    lastTs: ts,
    lastValue: value,
  };
}

/** Orders readings by time, then by value, so equal timestamps still have one answer. */
function isEarlier(ts: Date, value: number, otherTs: Date, otherValue: number): boolean {
  const byTime = ts.getTime() - otherTs.getTime();
  return byTime !== 0 ? byTime < 0 : value < otherValue;
}
