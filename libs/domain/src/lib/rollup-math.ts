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

/** The mean of an aggregate's values. */
export function rollupAverage(aggregate: RollupAggregate): number {
  return aggregate.sum / aggregate.count;
}

/**
 * What a cumulative counter consumed across readings sorted by time: the sum of its rises. A drop
 * means the counter was reset or rolled over, so the new value is what it counted since then.
 */
export function counterConsumption(sortedValues: readonly TimedValue[]): number {
  let consumption = 0;
  for (let i = 1; i < sortedValues.length; i++) {
    const previous = sortedValues[i - 1].value;
    const current = sortedValues[i].value;
    consumption += current >= previous ? current - previous : current;
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
