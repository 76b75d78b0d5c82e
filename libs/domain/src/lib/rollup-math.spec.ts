import {
  RollupAggregate,
  TimedValue,
  aggregateOf,
  counterConsumption,
  counterStep,
  mergeAggregates,
} from './rollup-math';

/** mulberry32: a tiny seeded PRNG so that a failing case can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomInt(random: () => number, below: number): number {
  return Math.floor(random() * below);
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function randomChunks<T>(items: readonly T[], random: () => number): T[][] {
  const chunks: T[][] = [];
  let start = 0;
  while (start < items.length) {
    const size = 1 + randomInt(random, Math.max(1, Math.floor(items.length / 3)));
    chunks.push(items.slice(start, start + size));
    start += size;
  }
  return chunks;
}

/** Readings on a coarse time grid so that equal timestamps are common. */
function randomReadings(random: () => number, valueOf: () => number): TimedValue[] {
  const base = Date.UTC(2026, 2, 29);
  return Array.from({ length: 1 + randomInt(random, 60) }, () => ({
    ts: new Date(base + randomInt(random, 20) * 60_000),
    value: valueOf(),
  }));
}

/** Merges aggregates in a random order and a random bracketing. */
function mergeRandomly(
  aggregates: (RollupAggregate | null)[],
  random: () => number,
): RollupAggregate | null {
  const pending = [...aggregates];
  while (pending.length > 1) {
    const i = randomInt(random, pending.length);
    const [left] = pending.splice(i, 1);
    const j = randomInt(random, pending.length);
    pending[j] =
      random() < 0.5 ? mergeAggregates(left, pending[j]) : mergeAggregates(pending[j], left);
  }
  return pending[0] ?? null;
}

const at = (iso: string, value: number): TimedValue => ({ ts: new Date(iso), value });

describe('rollup math', () => {
  describe('aggregateOf', () => {
    it('answers null for no readings', () => {
      expect(aggregateOf([])).toBeNull();
    });

    it('makes a single reading its own first, last, min and max', () => {
      expect(aggregateOf([at('2026-01-01T00:00:00Z', 4)])).toEqual({
        count: 1,
        sum: 4,
        min: 4,
        max: 4,
        firstTs: new Date('2026-01-01T00:00:00Z'),
        firstValue: 4,
        lastTs: new Date('2026-01-01T00:00:00Z'),
        lastValue: 4,
      });
    });

    it('counts, sums and bounds the values and finds first and last by time, not position', () => {
      const aggregate = aggregateOf([
        at('2026-01-01T00:10:00Z', 5),
        at('2026-01-01T00:00:00Z', 9),
        at('2026-01-01T00:20:00Z', -2),
        at('2026-01-01T00:05:00Z', 3),
      ]);
      expect(aggregate).toEqual({
        count: 4,
        sum: 15,
        min: -2,
        max: 9,
        firstTs: new Date('2026-01-01T00:00:00Z'),
        firstValue: 9,
        lastTs: new Date('2026-01-01T00:20:00Z'),
        lastValue: -2,
      });
    });

    it('breaks a tie of timestamps by value: first takes the smaller, last the larger', () => {
      const aggregate = aggregateOf([
        at('2026-01-01T00:00:00Z', 7),
        at('2026-01-01T00:00:00Z', 3),
        at('2026-01-01T00:00:00Z', 5),
      ]);
      expect(aggregate).toMatchObject({ firstValue: 3, lastValue: 7 });
    });
  });

  describe('mergeAggregates', () => {
    const early = aggregateOf([at('2026-01-01T00:00:00Z', 1), at('2026-01-01T00:01:00Z', 2)]);
    const late = aggregateOf([at('2026-01-01T00:02:00Z', 10), at('2026-01-01T00:03:00Z', 0)]);

    it('treats null as the empty aggregate', () => {
      expect(mergeAggregates(early, null)).toBe(early);
      expect(mergeAggregates(null, late)).toBe(late);
      expect(mergeAggregates(null, null)).toBeNull();
    });

    it('adds counts and sums and widens min and max', () => {
      expect(mergeAggregates(early, late)).toMatchObject({ count: 4, sum: 13, min: 0, max: 10 });
    });

    it('takes first from the earlier side and last from the later side', () => {
      expect(mergeAggregates(late, early)).toMatchObject({
        firstTs: new Date('2026-01-01T00:00:00Z'),
        firstValue: 1,
        lastTs: new Date('2026-01-01T00:03:00Z'),
        lastValue: 0,
      });
    });

    it('gives the same answer in either order when timestamps tie', () => {
      const a = aggregateOf([at('2026-01-01T00:00:00Z', 8)]);
      const b = aggregateOf([at('2026-01-01T00:00:00Z', 2)]);
      expect(mergeAggregates(a, b)).toEqual(mergeAggregates(b, a));
      expect(mergeAggregates(a, b)).toMatchObject({ firstValue: 2, lastValue: 8 });
    });

    it('equals the aggregate of the whole however readings are shuffled, split and merged', () => {
      for (let seed = 1; seed <= 300; seed++) {
        const random = prng(seed);
        // Quarter steps add exactly in floating point, so sums must match to the bit.
        const readings = randomReadings(random, () => randomInt(random, 4001) / 4 - 500);
        const chunks = randomChunks(shuffled(readings, random), random);
        const merged = mergeRandomly(chunks.map(aggregateOf), random);
        expect({ seed, merged }).toEqual({ seed, merged: aggregateOf(readings) });
      }
    });

    it('matches the whole up to rounding of the sum for arbitrary fractional values', () => {
      for (let seed = 1; seed <= 300; seed++) {
        const random = prng(seed);
        const readings = randomReadings(random, () => (random() - 0.3) * 1e6);
        const whole = aggregateOf(readings) as RollupAggregate;
        const merged = mergeRandomly(
          randomChunks(shuffled(readings, random), random).map(aggregateOf),
          random,
        ) as RollupAggregate;
        const { sum, ...rest } = merged;
        const { sum: wholeSum, ...wholeRest } = whole;
        expect({ seed, rest }).toEqual({ seed, rest: wholeRest });
        expect(Math.abs(sum - wholeSum)).toBeLessThanOrEqual(
          1e-6 * Math.max(1, Math.abs(wholeSum)),
        );
      }
    });

    it('is associative and commutative on random triples', () => {
      for (let seed = 1; seed <= 200; seed++) {
        const random = prng(seed);
        const [a, b, c] = [0, 1, 2].map(() =>
          aggregateOf(randomReadings(random, () => randomInt(random, 100))),
        ) as RollupAggregate[];
        expect(mergeAggregates(mergeAggregates(a, b), c)).toEqual(
          mergeAggregates(a, mergeAggregates(b, c)),
        );
        expect(mergeAggregates(a, b)).toEqual(mergeAggregates(b, a));
      }
    });
  });

  describe('counterStep', () => {
    it.each([
      [100, 105, 0.1, { kind: 'rise', consumption: 5 }],
      [100, 100, 0.1, { kind: 'rise', consumption: 0 }],
      [100, 9.99, 0.1, { kind: 'reset', consumption: 9.99 }],
      [100, 0, 0.1, { kind: 'reset', consumption: 0 }],
      [100, 10, 0.1, { kind: 'glitch', consumption: 0 }],
      [100, 99, 0.1, { kind: 'glitch', consumption: 0 }],
      [100, 40, 0.5, { kind: 'reset', consumption: 40 }],
    ])('%d -> %d with reset fraction %d is %j', (previous, current, fraction, step) => {
      expect(counterStep(previous, current, fraction)).toEqual(step);
    });
  });

  describe('counterConsumption', () => {
    it('is zero for fewer than two readings', () => {
      expect(counterConsumption([])).toBe(0);
      expect(counterConsumption([at('2026-01-01T00:00:00Z', 100)])).toBe(0);
    });

    it('is last minus first for a counter that only rises', () => {
      expect(
        counterConsumption([
          at('2026-01-01T00:00:00Z', 100),
          at('2026-01-01T01:00:00Z', 102.5),
          at('2026-01-01T02:00:00Z', 110),
        ]),
      ).toBe(10);
    });

    it('counts nothing while the counter stands still', () => {
      expect(
        counterConsumption([at('2026-01-01T00:00:00Z', 50), at('2026-01-01T01:00:00Z', 50)]),
      ).toBe(0);
    });

    it('counts the new value after a reset as consumption since the reset', () => {
      expect(
        counterConsumption([
          at('2026-01-01T00:00:00Z', 990),
          at('2026-01-01T01:00:00Z', 998),
          at('2026-01-01T02:00:00Z', 3),
          at('2026-01-01T03:00:00Z', 10),
        ]),
      ).toBe(8 + 3 + 7);
    });

    it('counts a reset to zero as no consumption at that step', () => {
      expect(
        counterConsumption([
          at('2026-01-01T00:00:00Z', 500),
          at('2026-01-01T01:00:00Z', 0),
          at('2026-01-01T02:00:00Z', 4),
        ]),
      ).toBe(4);
    });

    it('handles several rollovers in a row', () => {
      expect(
        counterConsumption([
          at('2026-01-01T00:00:00Z', 900),
          at('2026-01-01T01:00:00Z', 20),
          at('2026-01-01T02:00:00Z', 1),
          at('2026-01-01T03:00:00Z', 5),
        ]),
      ).toBe(20 + 1 + 4);
    });

    it('counts nothing for a drop that is not near zero (a glitch), and goes on from it', () => {
      expect(
        counterConsumption([
          at('2026-01-01T00:00:00Z', 1000),
          at('2026-01-01T01:00:00Z', 950),
          at('2026-01-01T02:00:00Z', 960),
        ]),
      ).toBe(0 + 10);
    });

    it('takes the reset fraction as a parameter', () => {
      const readings = [at('2026-01-01T00:00:00Z', 1000), at('2026-01-01T01:00:00Z', 300)];
      expect(counterConsumption(readings)).toBe(0);
      expect(counterConsumption(readings, 0.5)).toBe(300);
    });

    it('splits exactly: the parts plus the step between them make the whole', () => {
      const random = prng(42);
      let value = 0;
      const readings = Array.from({ length: 200 }, (_, i) => {
        value = random() < 0.05 ? randomInt(random, 10) : value + randomInt(random, 50);
        return { ts: new Date(Date.UTC(2026, 0, 1) + i * 300_000), value };
      });
      const cut = 77;
      const left = readings.slice(0, cut);
      const right = readings.slice(cut);
      const boundary = counterConsumption([readings[cut - 1], readings[cut]]);
      expect(counterConsumption(left) + boundary + counterConsumption(right)).toBe(
        counterConsumption(readings),
      );
    });
  });
});
