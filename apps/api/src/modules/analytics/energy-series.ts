import { Injectable } from '@nestjs/common';
import type { AnalyticsInterval } from '@gridwatch/contracts';
import { localDateStart, localClock, periodIndexOf, type LocalPeriod } from '@gridwatch/domain';
import { AnalyticsRepository, type AnalyticsMeter, type EnergySlot } from './analytics.repository';

export interface PeriodEnergy {
  energyKwh: number;
  count: number;
  coveredSeconds: number;
}

/** One meter's energy per period, and whether it came from a counter or from power. */
export interface MeterSeries {
  meter: AnalyticsMeter;
  counter: boolean;
  periods: PeriodEnergy[];
}

const WHOLE_DAYS: ReadonlySet<AnalyticsInterval> = new Set(['day', 'week', 'month', 'year']);

/**
 * Energy of meters per local period, from the rollups: counters from their consumption (site-local
 * daily rollups when the periods are whole days of the meter's own zone, else 5-minute rollups),
 * other meters by integrating power.
 */
@Injectable()
export class EnergySeries {
  constructor(private readonly repository: AnalyticsRepository) {}

  async byPeriod(
    meters: AnalyticsMeter[],
    periods: LocalPeriod[],
    timeZone: string,
    interval: AnalyticsInterval,
  ): Promise<MeterSeries[]> {
    if (meters.length === 0 || periods.length === 0) return [];
    const counters = await this.counterMeters(meters, ...rangeOf(periods));
    return this.seriesOf(meters, counters, periods, timeZone, interval);
  }

  /**
   * The meters' energy summed per period and their mean coverage: what `byPeriod` adds up to, but
   * counters read from daily rollups come back summed by the database, one row per period (a year
   * of days for 100 meters is 365 rows, not 36,500).
   */
  async totalsByPeriod(
    meters: AnalyticsMeter[],
    periods: LocalPeriod[],
    timeZone: string,
    interval: AnalyticsInterval,
  ): Promise<Array<{ energyKwh: number; coverage: number }>> {
    const totals = periods.map(() => ({ energyKwh: 0, coverage: 0 }));
    if (meters.length === 0 || periods.length === 0) return totals;
    const counters = await this.counterMeters(meters, ...rangeOf(periods));
    const byDay = readsDays(counters, interval, timeZone);
    const dayMeters = meters.filter(byDay);
    const [summed, series] = await Promise.all([
      dayMeters.length > 0
        ? this.repository.counterPeriodTotals(
            dayMeters,
            localDatesOf(periods, timeZone),
            periods.map((period) => (period.end - period.start) / 1000),
          )
        : [],
      this.seriesOf(
        meters.filter((meter) => !byDay(meter)),
        counters,
        periods,
        timeZone,
        interval,
      ),
    ]);
    for (const total of summed) {
      totals[total.period].energyKwh += total.energyKwh;
      totals[total.period].coverage += total.coverageSum;
    }
    periods.forEach((period, index) => {
      for (const meter of series) {
        totals[index].energyKwh += meter.periods[index].energyKwh;
        totals[index].coverage += coverageOf(meter, index, period);
      }
      totals[index].coverage /= meters.length;
    });
    return totals;
  }

  private async seriesOf(
    meters: AnalyticsMeter[],
    counters: Set<string>,
    periods: LocalPeriod[],
    timeZone: string,
    interval: AnalyticsInterval,
  ): Promise<MeterSeries[]> {
    if (meters.length === 0) return [];
    const [from, to] = rangeOf(periods);
    const series = emptySeries(meters, counters, periods.length);
    const byDay = readsDays(counters, interval, timeZone);
    const dayMeters = meters.filter(byDay).map((meter) => meter.id);
    const slotMeters = meters.filter((meter) => !byDay(meter));
    const [days, slots] = await Promise.all([
      dayMeters.length > 0
        ? this.repository.counterDays(
            dayMeters,
            localClock(from.getTime(), timeZone).date,
            localClock(to.getTime(), timeZone).date,
          )
        : [],
      this.slots(slotMeters, from, to, counters),
    ]);
    // Zone arithmetic is the slow part: once per local date, not per meter and date.
    const periodOfDay = new Map<string, number>();
    for (const day of days) {
      let index = periodOfDay.get(day.day);
      if (index === undefined) {
        index = periodIndexOf(periods, localDateStart(day.day, timeZone));
        periodOfDay.set(day.day, index);
      }
      add(series.get(day.meterId), index, day);
    }
    for (const slot of slots)
      add(series.get(slot.meterId), periodIndexOf(periods, slot.slot), slot);
    return [...series.values()];
  }

  /** Per meter and period, from 15-minute slots already read (cost and profiles need both). */
  fromSlots(
    meters: AnalyticsMeter[],
    counters: Set<string>,
    periods: LocalPeriod[],
    slots: EnergySlot[],
  ): MeterSeries[] {
    const series = emptySeries(meters, counters, periods.length);
    for (const slot of slots)
      add(series.get(slot.meterId), periodIndexOf(periods, slot.slot), slot);
    return [...series.values()];
  }

  /** Which of the meters have an energy counter in [from, to). */
  counterMeters(meters: AnalyticsMeter[], from: Date, to: Date): Promise<Set<string>> {
    return this.repository.counterMeters(
      meters.map((meter) => meter.id),
      from,
      to,
    );
  }

  /** Energy per meter and 15-minute slot in [from, to). */
  async slots(
    meters: AnalyticsMeter[],
    from: Date,
    to: Date,
    knownCounters?: Set<string>,
  ): Promise<EnergySlot[]> {
    if (meters.length === 0) return [];
    const ids = meters.map((meter) => meter.id);
    const counters = knownCounters ?? (await this.repository.counterMeters(ids, from, to));
    const counterIds = ids.filter((id) => counters.has(id));
    const powerIds = ids.filter((id) => !counters.has(id));
    const [counterSlots, powerSlots] = await Promise.all([
      counterIds.length > 0 ? this.repository.counterSlots(counterIds, from, to) : [],
      powerIds.length > 0 ? this.repository.powerSlots(powerIds, from, to) : [],
    ]);
    return [...counterSlots, ...powerSlots];
  }
}

function rangeOf(periods: LocalPeriod[]): [Date, Date] {
  return [new Date(periods[0].start), new Date(periods[periods.length - 1].end)];
}

/** Counters of the periods' own zone, asked for whole days, are read from the daily rollups. */
function readsDays(counters: Set<string>, interval: AnalyticsInterval, timeZone: string) {
  return (meter: AnalyticsMeter) =>
    counters.has(meter.id) && WHOLE_DAYS.has(interval) && meter.timezone === timeZone;
}

/** The first local date of the whole-day periods, and the period of each date from it on. */
function localDatesOf(
  periods: LocalPeriod[],
  timeZone: string,
): { first: string; periods: number[] } {
  const first = localClock(periods[0].start, timeZone).date;
  const indexes: number[] = [];
  let next = first;
  periods.forEach((period, index) => {
    const end = localClock(period.end, timeZone).date;
    // Calendar dates step by whole UTC days: no zone arithmetic per date.
    for (; next < end; next = nextDate(next)) indexes.push(index);
  });
  return { first, periods: indexes };
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function emptySeries(
  meters: AnalyticsMeter[],
  counters: Set<string>,
  periods: number,
): Map<string, MeterSeries> {
  return new Map(
    meters.map((meter) => [
      meter.id,
      {
        meter,
        counter: counters.has(meter.id),
        periods: Array.from({ length: periods }, () => ({
          energyKwh: 0,
          count: 0,
          coveredSeconds: 0,
        })),
      },
    ]),
  );
}

function add(
  series: MeterSeries | undefined,
  index: number,
  energy: { energyKwh: number; count: number; coveredSeconds?: number },
): void {
  if (!series || index < 0) return;
  const period = series.periods[index];
  period.energyKwh += energy.energyKwh;
  period.count += energy.count;
  period.coveredSeconds += energy.coveredSeconds ?? 0;
}

/**
 * How complete a meter's period is: a counter's readings times its interval, or the seconds the
 * power integration bridged, over the period's length; at most 1.
 */
export function coverageOf(series: MeterSeries, index: number, period: LocalPeriod): number {
  const energy = series.periods[index];
  const covered = series.counter
    ? energy.count * series.meter.intervalSeconds
    : energy.coveredSeconds;
  return Math.min(1, covered / ((period.end - period.start) / 1000));
}

/** Energy rounded to a Wh millionth, coverage to 4 places: float sums stay readable. */
export const roundKwh = (value: number) => Math.round(value * 1e6) / 1e6;
export const roundShare = (value: number) => Math.round(value * 1e4) / 1e4;
