import type { Consumption, Cost, CostPeriod, EnergyPeriodView } from './energy-api.service';
import {
  bandTotals,
  changeText,
  consumptionChartOptions,
  consumptionTotals,
  costChartOptions,
  costTotals,
  energyRangeOf,
  money,
  periodLabel,
  profileIsEmpty,
  usageProfileOptions,
} from './energy-charts';

type Series = { name: string; type: string; stack?: string; data: (number | null)[] };
type Options = { xAxis: { data: string[] }; series: Series[]; legend?: unknown };

function day(start: string, energyKwh: number, compared?: number): EnergyPeriodView {
  const end = new Date(Date.parse(start) + 24 * 3600_000).toISOString();
  return {
    start,
    end,
    energyKwh,
    coverage: 1,
    ...(compared !== undefined && {
      compared: {
        start,
        end,
        energyKwh: compared,
        coverage: 1,
        changeKwh: energyKwh - compared,
        changePercent: compared === 0 ? null : ((energyKwh - compared) / compared) * 100,
      },
    }),
  };
}

function costPeriod(start: string, bands: [string, number][], standing: number, compared?: number) {
  const energyCost = bands.reduce((sum, [, cost]) => sum + cost, 0);
  const period: CostPeriod = {
    start,
    end: start,
    energyKwh: 10,
    coverage: 1,
    energyCost,
    standingCharge: standing,
    cost: energyCost + standing,
    bands: bands.map(([band, cost]) => ({ band, energyKwh: cost * 10, cost })),
    ...(compared !== undefined && {
      compared: {
        start,
        end: start,
        energyKwh: 1,
        cost: compared,
        changeCost: 0,
        changePercent: null,
      },
    }),
  };
  return period;
}

describe('energyRangeOf', () => {
  const now = new Date('2026-12-07T09:30:00Z');

  it('asks for the bars each preset shows, ending now', () => {
    expect(energyRangeOf('day', now)).toEqual({
      from: new Date('2026-12-06T10:30:00Z'),
      to: now,
      interval: 'hour',
    });
    expect(energyRangeOf('week', now)).toEqual({
      from: new Date('2026-12-01T09:30:00Z'),
      to: now,
      interval: 'day',
    });
    expect(energyRangeOf('month', now).from).toEqual(new Date('2026-11-08T09:30:00Z'));
  });

  it('starts a year of months inside the month 11 months back, whatever the zone', () => {
    expect(energyRangeOf('year', now)).toEqual({
      from: new Date('2026-01-15T00:00:00Z'),
      to: now,
      interval: 'month',
    });
  });
});

describe('periodLabel', () => {
  it("labels a bar by its start in the site's time zone", () => {
    // 23:00 UTC is already the next day in Berlin.
    expect(periodLabel('2026-11-30T23:00:00Z', 'day', 'Europe/Berlin')).toBe('Tue 1 Dec');
    expect(periodLabel('2026-11-30T23:00:00Z', 'hour', 'Europe/Berlin')).toBe('00:00');
    expect(periodLabel('2026-11-30T23:00:00Z', 'month', 'Europe/Berlin')).toBe('Dec 2026');
    expect(periodLabel('2026-11-30T00:00:00Z', 'week', 'UTC')).toBe('w/c 30 Nov');
  });
});

describe('totals and their change', () => {
  it('sums the periods and the compared ones, with the change in percent', () => {
    const totals = consumptionTotals([
      day('2026-12-01T00:00:00Z', 12.5, 10),
      day('2026-12-02T00:00:00Z', 10, 10),
    ]);
    expect(totals).toEqual({ total: 22.5, compared: 20, change: 2.5, changePercent: 12.5 });
    expect(changeText(totals)).toBe('+12.5 %');
  });

  it('says a fall with a minus sign, and no change as such', () => {
    expect(changeText(consumptionTotals([day('2026-12-01T00:00:00Z', 8, 10)]))).toBe('−20 %');
    expect(changeText(consumptionTotals([day('2026-12-01T00:00:00Z', 8, 8)]))).toBe('no change');
  });

  it('compares nothing when no comparison was asked', () => {
    const totals = consumptionTotals([day('2026-12-01T00:00:00Z', 8)]);
    expect(totals).toEqual({ total: 8, compared: null, change: null, changePercent: null });
    expect(changeText(totals)).toBe('');
  });

  it('gives no percent against a compared run that used nothing', () => {
    const totals = consumptionTotals([day('2026-12-01T00:00:00Z', 5, 0)]);
    expect(totals.changePercent).toBeNull();
    expect(changeText(totals)).toBe('n/a');
    expect(changeText(consumptionTotals([day('2026-12-01T00:00:00Z', 0, 0)]))).toBe('no change');
  });

  it('totals the cost with the standing charge and the compared cost', () => {
    const cost: Cost = {
      timezone: 'UTC',
      currency: 'GBP',
      items: [
        costPeriod(
          '2026-12-01T00:00:00Z',
          [
            ['night', 1],
            ['day', 3],
          ],
          0.5,
          4,
        ),
        costPeriod('2026-12-02T00:00:00Z', [['day', 2]], 0.5, 2),
      ],
    };
    expect(costTotals(cost)).toEqual({ total: 7, compared: 6, change: 1, changePercent: 16.7 });
    expect(bandTotals(cost)).toEqual([
      { band: 'day', energyKwh: 50, cost: 5 },
      { band: 'night', energyKwh: 10, cost: 1 },
    ]);
    expect(money(7, 'GBP')).toBe('£7.00');
  });
});

describe('consumptionChartOptions', () => {
  const consumption: Consumption = {
    timezone: 'UTC',
    items: [day('2026-12-01T00:00:00Z', 12, 10), day('2026-12-02T00:00:00Z', 9, 11)],
  };

  it('draws the compared periods beside this run, named by the comparison', () => {
    const options = consumptionChartOptions(consumption, 'day', 'year', false) as Options;
    expect(options.xAxis.data).toEqual(['Tue 1 Dec', 'Wed 2 Dec']);
    expect(options.series.map((series) => [series.name, series.data])).toEqual([
      ['Energy', [12, 9]],
      ['A year earlier', [10, 11]],
    ]);
  });

  it('draws one series without a comparison', () => {
    const options = consumptionChartOptions(consumption, 'day', null, false) as Options;
    expect(options.series.map((series) => series.name)).toEqual(['Energy']);
    expect(options.legend).toBeUndefined();
  });
});

describe('costChartOptions', () => {
  it('stacks the bands and the standing charge, and lines the compared cost', () => {
    const cost: Cost = {
      timezone: 'UTC',
      currency: 'GBP',
      items: [
        costPeriod(
          '2026-12-01T00:00:00Z',
          [
            ['night', 1],
            ['day', 3],
          ],
          0.5,
          4,
        ),
        costPeriod('2026-12-02T00:00:00Z', [['day', 2]], 0.5, 2),
      ],
    };
    const options = costChartOptions(cost, 'day', 'previous', false) as Options;
    expect(options.series.map((series) => [series.name, series.type, series.data])).toEqual([
      ['day', 'bar', [3, 2]],
      ['night', 'bar', [1, 0]],
      ['Standing charge', 'bar', [0.5, 0.5]],
      ['Previous period', 'line', [4, 2]],
    ]);
    expect(options.series.slice(0, 3).every((series) => series.stack === 'cost')).toBe(true);
  });
});

describe('usageProfileOptions', () => {
  it('draws 24 hours of average and peak in kW, an hour without data as a gap', () => {
    const options = usageProfileOptions(
      [
        { hour: 0, average: 1500, peak: 2000 },
        { hour: 8, average: 5400, peak: null },
      ],
      false,
    ) as Options;
    expect(options.xAxis.data).toHaveLength(24);
    expect(options.xAxis.data[8]).toBe('08:00');
    const [average, peak] = options.series;
    expect(average.data[0]).toBe(1.5);
    expect(average.data[8]).toBe(5.4);
    expect(average.data[3]).toBeNull();
    expect(peak.data[0]).toBe(2);
    expect(peak.data[8]).toBeNull();
  });

  it('knows a profile without any data', () => {
    expect(profileIsEmpty([{ hour: 1, average: null, peak: null }])).toBe(true);
    expect(profileIsEmpty([{ hour: 1, average: 0, peak: null }])).toBe(false);
  });
});
