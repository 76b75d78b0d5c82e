import type { LiveReading } from '@gridwatch/contracts';
import { aggregationFor, rangeOf, seriesOf, withLiveReadings } from './reading-range';

const NOW = new Date('2026-03-01T12:00:00Z');
const hoursBefore = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

describe('aggregationFor', () => {
  it.each([
    [1, 'raw'],
    [3, 'raw'],
    [3.5, '5m'],
    [24, '5m'],
    [48, '5m'],
    [49, 'hourly'],
    [7 * 24, 'hourly'],
    [14 * 24, 'hourly'],
    [30 * 24, 'daily'],
  ])('%s h -> %s', (hours, aggregation) => {
    expect(aggregationFor(hoursBefore(hours), NOW)).toBe(aggregation);
  });
});

describe('rangeOf', () => {
  it('gives each preset its span ending now, live, with its aggregation', () => {
    expect(rangeOf('hour', NOW)).toEqual({
      from: hoursBefore(1),
      to: NOW,
      aggregation: 'raw',
      live: true,
    });
    expect(rangeOf('day', NOW).aggregation).toBe('5m');
    expect(rangeOf('week', NOW).aggregation).toBe('hourly');
    expect(rangeOf('month', NOW).aggregation).toBe('daily');
  });

  it('takes custom bounds in either order, not live', () => {
    const range = rangeOf('custom', NOW, { from: NOW, to: hoursBefore(72) });
    expect(range).toEqual({ from: hoursBefore(72), to: NOW, aggregation: 'hourly', live: false });
  });
});

describe('seriesOf', () => {
  it("keeps the parameter's points in time order and leaves empty buckets out", () => {
    const series = seriesOf(
      [
        { ts: '2026-03-01T11:10:00Z', parameter: 'power_w', value: 20 },
        { ts: '2026-03-01T11:00:00Z', parameter: 'power_w', value: 10 },
        { ts: '2026-03-01T11:05:00Z', parameter: 'power_w', value: null },
        { ts: '2026-03-01T11:00:00Z', parameter: 'voltage_v', value: 230 },
      ],
      'power_w',
    );
    expect(series).toEqual([
      [Date.parse('2026-03-01T11:00:00Z'), 10],
      [Date.parse('2026-03-01T11:10:00Z'), 20],
    ]);
  });
});

describe('withLiveReadings', () => {
  const live = (ts: string, value: number, parameter: LiveReading['parameter'] = 'power_w') => ({
    meterId: 'm',
    siteId: 's',
    parameter,
    ts,
    value,
    unit: 'W',
    quality: 'good' as const,
  });
  const base: [number, number][] = [[Date.parse('2026-03-01T11:50:00Z'), 5]];

  it('appends a newer reading of the charted parameter and ignores the others', () => {
    const next = withLiveReadings(
      base,
      [live('2026-03-01T11:59:00Z', 7), live('2026-03-01T11:59:00Z', 230, 'voltage_v')],
      'power_w',
      hoursBefore(1),
    );
    expect(next).toEqual([...base, [Date.parse('2026-03-01T11:59:00Z'), 7]]);
  });

  it('replaces a point at the same time, and drops a reading before the range', () => {
    const next = withLiveReadings(
      base,
      [live('2026-03-01T11:50:00Z', 6), live('2026-03-01T10:00:00Z', 1)],
      'power_w',
      hoursBefore(1),
    );
    expect(next).toEqual([[Date.parse('2026-03-01T11:50:00Z'), 6]]);
  });
});
