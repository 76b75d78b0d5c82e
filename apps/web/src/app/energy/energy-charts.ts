import type { AnalyticsInterval } from '@gridwatch/contracts';
import type { EChartsCoreOption } from 'echarts/core';
import { formatValue } from '../meters/chart-options';
import type {
  Comparison,
  Consumption,
  Cost,
  EnergyPeriodView,
  HourProfile,
} from './energy-api.service';

/** The runs of periods the energy page offers, each with the interval its bars are in. */
export type EnergyPreset = 'day' | 'week' | 'month' | 'year';

export const ENERGY_PRESETS: readonly { value: EnergyPreset; label: string }[] = [
  { value: 'day', label: 'Last 24 hours' },
  { value: 'week', label: 'Last 7 days' },
  { value: 'month', label: 'Last 30 days' },
  { value: 'year', label: 'Last 12 months' },
];

export interface EnergyRange {
  from: Date;
  to: Date;
  interval: AnalyticsInterval;
}

/**
 * The range of a preset ending now. The API starts at the local period containing `from` (the
 * site's midnight, its first of the month), so the first bar is a whole period: 24 hours, 7 or
 * 30 days, 12 months including the current one.
 */
export function energyRangeOf(preset: EnergyPreset, now: Date): EnergyRange {
  const to = new Date(now.getTime());
  const DAY = 24 * 3600_000;
  switch (preset) {
    case 'day':
      return { from: new Date(now.getTime() - 23 * 3600_000), to, interval: 'hour' };
    case 'week':
      return { from: new Date(now.getTime() - 6 * DAY), to, interval: 'day' };
    case 'month':
      return { from: new Date(now.getTime() - 29 * DAY), to, interval: 'day' };
    case 'year': {
      // The middle of the month 11 months back: inside that month in any time zone.
      const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 15));
      return { from, to, interval: 'month' };
    }
  }
}

/** "This period" against what, in words. */
export function comparisonLabel(compare: Comparison): string {
  return compare === 'previous' ? 'Previous period' : 'A year earlier';
}

/** The label of a period's bar: its start in the site's time zone, as the interval needs. */
export function periodLabel(start: string, interval: AnalyticsInterval, timeZone: string): string {
  const date = new Date(start);
  const format = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat('en-GB', { timeZone, ...options }).format(date);
  switch (interval) {
    case '30m':
    case 'hour':
      return format({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    case 'day':
      return format({ weekday: 'short', day: 'numeric', month: 'short' });
    case 'week':
      return `w/c ${format({ day: 'numeric', month: 'short' })}`;
    case 'month':
      return format({ month: 'short', year: 'numeric' });
    case 'year':
      return format({ year: 'numeric' });
  }
}

/** A total and, when compared, the compared total and the change (null percent when it was 0). */
export interface Totals {
  total: number;
  compared: number | null;
  change: number | null;
  changePercent: number | null;
}

/** Sums this run of periods and, where every period carries one, the compared run. */
export function totalsOf<T>(
  items: readonly T[],
  value: (item: T) => number,
  comparedValue: (item: T) => number | undefined,
): Totals {
  const total = round(items.reduce((sum, item) => sum + value(item), 0));
  const compared = items.map(comparedValue);
  if (items.length === 0 || compared.some((item) => item === undefined))
    return { total, compared: null, change: null, changePercent: null };
  const comparedTotal = round(compared.reduce<number>((sum, item) => sum + (item ?? 0), 0));
  const change = round(total - comparedTotal);
  return {
    total,
    compared: comparedTotal,
    change,
    changePercent: comparedTotal === 0 ? null : round((change / comparedTotal) * 100, 1),
  };
}

export function consumptionTotals(items: readonly EnergyPeriodView[]): Totals {
  return totalsOf(
    items,
    (item) => item.energyKwh,
    (item) => item.compared?.energyKwh,
  );
}

export function costTotals(cost: Cost): Totals {
  return totalsOf(
    cost.items,
    (item) => item.cost,
    (item) => item.compared?.cost,
  );
}

/** "+12.5 %", "−3 %", "no change"; "n/a" when the compared figure was 0. */
export function changeText(totals: Totals): string {
  if (totals.change === null) return '';
  if (totals.changePercent === null) return totals.change === 0 ? 'no change' : 'n/a';
  if (totals.changePercent === 0) return 'no change';
  const sign = totals.changePercent > 0 ? '+' : '−';
  return `${sign}${formatValue(Math.abs(totals.changePercent))} %`;
}

/** Energy and cost of each tariff band over the whole run, largest cost first. */
export function bandTotals(cost: Cost): { band: string; energyKwh: number; cost: number }[] {
  const byBand = new Map<string, { energyKwh: number; cost: number }>();
  for (const item of cost.items)
    for (const band of item.bands) {
      const sum = byBand.get(band.band) ?? { energyKwh: 0, cost: 0 };
      byBand.set(band.band, {
        energyKwh: sum.energyKwh + band.energyKwh,
        cost: sum.cost + band.cost,
      });
    }
  return [...byBand]
    .map(([band, sum]) => ({ band, energyKwh: round(sum.energyKwh), cost: round(sum.cost) }))
    .sort((a, b) => b.cost - a.cost);
}

interface Palette {
  text: string;
  grid: string;
  current: string;
  compared: string;
  extra: string[];
}

function palette(dark: boolean): Palette {
  return dark
    ? {
        text: '#e8eef5',
        grid: '#334155',
        current: '#5fd4b8',
        compared: '#94a3b8',
        extra: ['#ffd38a', '#8ab4ff', '#f0a3c4', '#c4b5fd'],
      }
    : {
        text: '#17212e',
        grid: '#dde3ea',
        current: '#0f6e5c',
        compared: '#8a96a8',
        extra: ['#b45309', '#1d4ed8', '#be185d', '#6d28d9'],
      };
}

function baseOptions(colors: Palette, categories: string[], unit: string, legend: boolean) {
  return {
    animation: false,
    textStyle: { color: colors.text },
    grid: { left: 56, right: 16, top: legend ? 36 : 24, bottom: 32, containLabel: false },
    legend: legend ? { top: 0, textStyle: { color: colors.text } } : undefined,
    xAxis: {
      type: 'category',
      data: categories,
      axisLabel: { color: colors.text, hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      name: unit,
      axisLabel: { color: colors.text },
      splitLine: { lineStyle: { color: colors.grid } },
    },
  };
}

function tooltip(unit: string) {
  return {
    trigger: 'axis',
    valueFormatter: (value: unknown) =>
      typeof value === 'number' ? `${formatValue(value)} ${unit}` : 'no data',
  };
}

/** Energy bars per period, and beside each the compared period's when there is a comparison. */
export function consumptionChartOptions(
  consumption: Consumption,
  interval: AnalyticsInterval,
  compare: Comparison | null,
  dark: boolean,
): EChartsCoreOption {
  const colors = palette(dark);
  const categories = consumption.items.map((item) =>
    periodLabel(item.start, interval, consumption.timezone),
  );
  const compared = compare !== null && consumption.items.some((item) => item.compared);
  return {
    ...baseOptions(colors, categories, 'kWh', compared),
    tooltip: tooltip('kWh'),
    series: [
      {
        name: 'Energy',
        type: 'bar',
        barMaxWidth: 28,
        color: colors.current,
        data: consumption.items.map((item) => item.energyKwh),
      },
      ...(compared && compare
        ? [
            {
              name: comparisonLabel(compare),
              type: 'bar',
              barMaxWidth: 28,
              color: colors.compared,
              data: consumption.items.map((item) => item.compared?.energyKwh ?? null),
            },
          ]
        : []),
    ],
  };
}

/**
 * Cost per period stacked by tariff band, the standing charge on top, and the compared periods'
 * total cost as a line.
 */
export function costChartOptions(
  cost: Cost,
  interval: AnalyticsInterval,
  compare: Comparison | null,
  dark: boolean,
): EChartsCoreOption {
  const colors = palette(dark);
  const categories = cost.items.map((item) => periodLabel(item.start, interval, cost.timezone));
  const bands = bandTotals(cost).map((band) => band.band);
  const bandColor = (index: number) =>
    index === 0 ? colors.current : colors.extra[(index - 1) % colors.extra.length];
  const compared = compare !== null && cost.items.some((item) => item.compared);
  return {
    ...baseOptions(colors, categories, cost.currency, true),
    tooltip: tooltip(cost.currency),
    series: [
      ...bands.map((band, index) => ({
        name: band,
        type: 'bar',
        stack: 'cost',
        barMaxWidth: 28,
        color: bandColor(index),
        data: cost.items.map((item) => item.bands.find((entry) => entry.band === band)?.cost ?? 0),
      })),
      ...(cost.items.some((item) => item.standingCharge > 0)
        ? [
            {
              name: 'Standing charge',
              type: 'bar',
              stack: 'cost',
              barMaxWidth: 28,
              color: colors.grid,
              data: cost.items.map((item) => item.standingCharge),
            },
          ]
        : []),
      ...(compared && compare
        ? [
            {
              name: comparisonLabel(compare),
              type: 'line',
              color: colors.compared,
              data: cost.items.map((item) => item.compared?.cost ?? null),
            },
          ]
        : []),
    ],
  };
}

/** Average and peak load by local hour as bars, in kW; an hour without data is a gap. */
export function usageProfileOptions(
  hours: readonly HourProfile[],
  dark: boolean,
): EChartsCoreOption {
  const colors = palette(dark);
  const byHour = new Map(hours.map((hour) => [hour.hour, hour]));
  const all = Array.from({ length: 24 }, (_, hour) => byHour.get(hour));
  const kw = (value: number | null | undefined) =>
    value === null || value === undefined ? null : round(value / 1000, 3);
  return {
    ...baseOptions(
      colors,
      all.map((_, hour) => `${String(hour).padStart(2, '0')}:00`),
      'kW',
      true,
    ),
    tooltip: tooltip('kW'),
    series: [
      {
        name: 'Average',
        type: 'bar',
        barMaxWidth: 18,
        color: colors.current,
        data: all.map((hour) => kw(hour?.average)),
      },
      {
        name: 'Peak',
        type: 'bar',
        barMaxWidth: 18,
        color: colors.extra[0],
        data: all.map((hour) => kw(hour?.peak)),
      },
    ],
  };
}

/** True when no hour has any data (the chart would be empty axes). */
export function profileIsEmpty(hours: readonly HourProfile[]): boolean {
  return hours.every((hour) => hour.average === null && hour.peak === null);
}

/** A money amount in its currency, e.g. "£12.34". */
export function money(value: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(value);
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}

/** A share 0..1 as a whole percent. */
export function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
