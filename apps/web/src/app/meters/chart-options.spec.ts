import {
  dailyBarsOptions,
  dailyConsumption,
  formatValue,
  namedBarsOptions,
  timeSeriesOptions,
} from './chart-options';

describe('timeSeriesOptions', () => {
  const from = new Date('2026-03-01T11:00:00Z');
  const to = new Date('2026-03-01T12:00:00Z');

  it('draws the stored and the live series on a time axis over the asked range', () => {
    const options = timeSeriesOptions({
      name: 'Power',
      unit: 'W',
      stored: [[from.getTime(), 10]],
      live: [[to.getTime() + 1000, 12]],
      from,
      to,
      dark: false,
    }) as {
      xAxis: { min: number; max: number };
      series: { name: string; data: number[][] }[];
      dataZoom: unknown[];
    };
    expect(options.series.map((series) => [series.name, series.data])).toEqual([
      ['Power', [[from.getTime(), 10]]],
      ['Live', [[to.getTime() + 1000, 12]]],
    ]);
    expect(options.xAxis.min).toBe(from.getTime());
    // A live point after the range's end widens the axis rather than falling off it.
    expect(options.xAxis.max).toBe(to.getTime() + 1000);
    expect(options.dataZoom).toHaveLength(2);
  });

  it('draws no Live series (nor its legend) before a live reading arrived', () => {
    const options = timeSeriesOptions({
      name: 'Power',
      unit: 'W',
      stored: [],
      live: [],
      from,
      to,
      dark: true,
    }) as { series: { name: string }[] };
    expect(options.series.map((series) => series.name)).toEqual(['Power']);
  });
});

describe('formatValue', () => {
  it.each([
    [1520, '1520'],
    [229.87654, '229.877'],
    [0.5, '0.5'],
  ])('%s -> %s', (value, text) => expect(formatValue(value)).toBe(text));
});

describe('dailyConsumption', () => {
  it('orders the days and keeps a day without data as a gap', () => {
    expect(
      dailyConsumption([
        { day: '2026-03-02', consumption: 12.5 },
        { day: '2026-03-01', consumption: 10 },
        { day: '2026-03-03', consumption: null },
        { consumption: 99 },
      ]),
    ).toEqual({ days: ['2026-03-01', '2026-03-02', '2026-03-03'], values: [10, 12.5, null] });
  });
});

describe('dailyBarsOptions', () => {
  it('draws one bar per day', () => {
    const options = dailyBarsOptions({ days: ['2026-03-01'], values: [10] }, 'kWh', false) as {
      xAxis: { data: string[] };
      series: { type: string; data: number[] }[];
    };
    expect(options.xAxis.data).toEqual(['2026-03-01']);
    expect(options.series[0]).toMatchObject({ type: 'bar', data: [10] });
  });
});

describe('namedBarsOptions', () => {
  type Labels = {
    xAxis: { data: string[]; axisLabel: Record<string, unknown> };
  };

  it('names every bar (none hidden for overlapping), cutting long names with an ellipsis', () => {
    const names = ['London headquarters and warehouse', 'Leeds'];
    const options = namedBarsOptions({ names, values: [3, 4] }, 'kWh', false) as Labels;
    expect(options.xAxis.data).toEqual(names);
    expect(options.xAxis.axisLabel).toMatchObject({
      interval: 0,
      hideOverlap: false,
      overflow: 'truncate',
      rotate: 0,
    });
  });

  it('slants the names once there are many bars', () => {
    const names = ['A', 'B', 'C', 'D', 'E', 'F'];
    const options = namedBarsOptions({ names, values: names.map(() => 1) }, 'kWh', true) as Labels;
    expect(options.xAxis.axisLabel['rotate']).toBeGreaterThan(0);
  });
});
