import type { EChartsCoreOption } from 'echarts/core';
import type { ChartPoint } from './reading-range';

/** What the time-series chart draws: the stored series and the live points beside it. */
export interface TimeSeriesInput {
  name: string;
  unit: string;
  stored: readonly ChartPoint[];
  /** Live readings drawn over an aggregated series (a raw series takes them in `stored`). */
  live: readonly ChartPoint[];
  from: Date;
  to: Date;
  dark: boolean;
}

/**
 * The ECharts option of a meter's time series: time axis over the asked range, zoom by wheel,
 * drag and the slider, a tooltip with the unit.
 */
export function timeSeriesOptions(input: TimeSeriesInput): EChartsCoreOption {
  const text = input.dark ? '#e8eef5' : '#17212e';
  const grid = input.dark ? '#334155' : '#dde3ea';
  return {
    animation: false,
    textStyle: { color: text },
    grid: { left: 56, right: 16, top: 32, bottom: 72 },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (value: unknown) =>
        typeof value === 'number' ? `${formatValue(value)} ${input.unit}` : String(value),
    },
    legend: { top: 0, textStyle: { color: text } },
    xAxis: {
      type: 'time',
      min: input.from.getTime(),
      max: Math.max(input.to.getTime(), lastTime(input.stored), lastTime(input.live)),
      axisLabel: { color: text, hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      name: input.unit,
      scale: true,
      axisLabel: { color: text },
      splitLine: { lineStyle: { color: grid } },
    },
    dataZoom: [
      { type: 'inside', filterMode: 'none' },
      { type: 'slider', filterMode: 'none', bottom: 16, height: 24 },
    ],
    series: [
      {
        name: input.name,
        type: 'line',
        showSymbol: input.stored.length < 120,
        connectNulls: false,
        color: input.dark ? '#5fd4b8' : '#0f6e5c',
        data: input.stored.map((point) => [...point]),
      },
      // Drawn only once live readings arrived over an aggregated series.
      ...(input.live.length === 0
        ? []
        : [
            {
              name: 'Live',
              type: 'line',
              showSymbol: true,
              symbolSize: 7,
              color: input.dark ? '#ffd38a' : '#b45309',
              data: input.live.map((point) => [...point]),
            },
          ]),
    ],
  };
}

function lastTime(points: readonly ChartPoint[]): number {
  return points.length === 0 ? 0 : points[points.length - 1][0];
}

/** Up to 3 significant decimals, without trailing zeros. */
export function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(3)));
}

/** A daily rollup of a counter as the readings API answers it (`aggregation=daily`). */
export interface DailyBucket {
  day?: string;
  consumption?: number | null;
}

/** Days (site-local dates) and their consumption; a day without data is a gap, not zero. */
export function dailyConsumption(buckets: readonly DailyBucket[]): {
  days: string[];
  values: (number | null)[];
} {
  const rows = buckets
    .filter((bucket): bucket is DailyBucket & { day: string } => typeof bucket.day === 'string')
    .sort((a, b) => a.day.localeCompare(b.day));
  return {
    days: rows.map((row) => row.day),
    values: rows.map((row) => row.consumption ?? null),
  };
}

/** The ECharts option of consumption bars by category: days (meter page) or sites (dashboard). */
export function dailyBarsOptions(
  bars: { days: string[]; values: (number | null)[] },
  unit: string,
  dark: boolean,
): EChartsCoreOption {
  const text = dark ? '#e8eef5' : '#17212e';
  return {
    animation: false,
    textStyle: { color: text },
    grid: { left: 56, right: 16, top: 24, bottom: 32 },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (value: unknown) =>
        typeof value === 'number' ? `${formatValue(value)} ${unit}` : 'no data',
    },
    xAxis: { type: 'category', data: bars.days, axisLabel: { color: text, hideOverlap: true } },
    yAxis: { type: 'value', name: unit, axisLabel: { color: text } },
    series: [
      {
        name: 'Consumption',
        type: 'bar',
        barMaxWidth: 32,
        color: dark ? '#5fd4b8' : '#0f6e5c',
        data: bars.values,
      },
    ],
  };
}

/** Wider than this many bars, the names are slanted to fit. */
const UPRIGHT_NAMES = 4;
/** Longest name drawn under a bar (px); the tooltip still says it whole. */
const NAME_WIDTH = 96;

/**
 * One bar per named thing (today's energy per site): every name is drawn, none hidden by
 * overlap; long ones are cut with an ellipsis, and slanted once there are many bars.
 */
export function namedBarsOptions(
  bars: { names: string[]; values: (number | null)[] },
  unit: string,
  dark: boolean,
): EChartsCoreOption {
  const options = dailyBarsOptions({ days: bars.names, values: bars.values }, unit, dark) as {
    xAxis: { axisLabel: object };
    grid: object;
  };
  const slanted = bars.names.length > UPRIGHT_NAMES;
  return {
    ...options,
    grid: { ...options.grid, bottom: slanted ? 72 : 32 },
    xAxis: {
      ...options.xAxis,
      axisLabel: {
        ...options.xAxis.axisLabel,
        hideOverlap: false,
        interval: 0,
        rotate: slanted ? 35 : 0,
        width: NAME_WIDTH,
        overflow: 'truncate',
        ellipsis: '…',
      },
    },
  };
}
