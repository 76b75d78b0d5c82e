import { Injectable } from '@nestjs/common';
import type { AnalyticsInterval, AnalyticsScope } from '@gridwatch/contracts';
import { comparedPeriods, localInstant, localPeriods, type LocalPeriod } from '@gridwatch/domain';
import { DomainException, NotFound } from '@gridwatch/server';
import { SitesService } from '../devices/sites.service';
import { AnalyticsRepository, type AnalyticsMeter } from './analytics.repository';
import type {
  AnalyticsTargetDto,
  ConsumptionQueryDto,
  PeriodQueryDto,
} from './dto/analytics-query.dto';
import type { ConsumptionDto, EnergyGroupDto, EnergyPeriodDto } from './dto/consumption.dto';
import { coverageOf, EnergySeries, roundKwh, roundShare, type MeterSeries } from './energy-series';

/** Longest answer: a year of half-hours is 17,568 periods. */
export const MAX_PERIODS = 20_000;

/** The meters a query totals and the zone its periods are in. */
export interface AnalyticsTarget {
  scope: AnalyticsScope;
  /** The meters whose sum is the target's total: sub-meters behind a main incomer are left out. */
  meters: AnalyticsMeter[];
  /** Every energy meter of the target, sub-meters too: for per-meter and per-kind breakdowns. */
  breakdown: AnalyticsMeter[];
  timezone: string;
  /** The sites the target spans and their zones (tariffs, standing charges, opening hours). */
  siteZones: Map<string, string>;
}

@Injectable()
export class AnalyticsService {
  constructor(
    private readonly repository: AnalyticsRepository,
    private readonly series: EnergySeries,
    private readonly sites: SitesService,
  ) {}

  async consumption(organizationId: string, query: ConsumptionQueryDto): Promise<ConsumptionDto> {
    const target = await this.target(organizationId, query);
    const periods = this.periods(query, target.timezone);
    const [items, compared, series] = await Promise.all([
      this.totals(target, periods, query.interval),
      this.comparedTotals(target, periods, query),
      query.groupBy
        ? this.series.byPeriod(target.breakdown, periods, target.timezone, query.interval)
        : undefined,
    ]);
    if (compared) attachComparison(items, compared);
    const answer: ConsumptionDto = { timezone: target.timezone, items };
    if (query.groupBy && series)
      answer.groups = groups(series, periods, target.timezone, query.groupBy);
    return answer;
  }

  /** The target's energy and mean coverage per period. */
  private async totals(
    target: AnalyticsTarget,
    periods: LocalPeriod[],
    interval: AnalyticsInterval,
  ): Promise<EnergyPeriodDto[]> {
    const sums = await this.series.totalsByPeriod(
      target.meters,
      periods,
      target.timezone,
      interval,
    );
    return periods.map((period, index) => ({
      start: localInstant(period.start, target.timezone),
      end: localInstant(period.end, target.timezone),
      energyKwh: roundKwh(sums[index].energyKwh),
      coverage: roundShare(sums[index].coverage),
    }));
  }

  /** Meters of the scope (404 for another organization's meter or site) and their zone. */
  async target(organizationId: string, query: AnalyticsTargetDto): Promise<AnalyticsTarget> {
    if (query.scope === 'organization') {
      const breakdown = await this.repository.meters(organizationId, {});
      const siteZones = new Map(breakdown.map((meter) => [meter.siteId, meter.timezone]));
      const timezone = query.timezone ?? 'UTC';
      return { scope: query.scope, meters: sitewide(breakdown), breakdown, timezone, siteZones };
    }
    const id = query.id ?? '';
    if (query.scope === 'site') {
      const site = await this.sites.load(organizationId, id);
      const breakdown = await this.repository.meters(organizationId, { siteId: id });
      const siteZones = new Map([[site.id, site.timezone]]);
      const timezone = site.timezone;
      return { scope: query.scope, meters: sitewide(breakdown), breakdown, timezone, siteZones };
    }
    const meters = await this.repository.meters(organizationId, { meterId: id });
    if (meters.length === 0) throw new NotFound('meter_not_found', 'Meter');
    const [meter] = meters;
    const siteZones = new Map([[meter.siteId, meter.timezone]]);
    return { scope: query.scope, meters, breakdown: meters, timezone: meter.timezone, siteZones };
  }

  /** The whole local periods overlapping [from, to); 400 when empty, reversed or too many. */
  periods(query: { from: string; to: string; interval: AnalyticsInterval }, timeZone: string) {
    const from = Date.parse(query.from);
    const to = Date.parse(query.to);
    if (!(from < to)) throw rangeError('to must be later than from');
    const estimate = (to - from) / PERIOD_MILLIS[query.interval];
    if (estimate > MAX_PERIODS) throw rangeError(`at most ${MAX_PERIODS} periods per request`);
    return localPeriods(from, to, timeZone, query.interval);
  }

  private async comparedTotals(
    target: AnalyticsTarget,
    periods: LocalPeriod[],
    query: PeriodQueryDto,
  ): Promise<EnergyPeriodDto[] | undefined> {
    if (!query.compare) return undefined;
    const earlier = comparedPeriods(periods, target.timezone, query.interval, query.compare);
    return this.totals(target, earlier, query.interval);
  }
}

const PERIOD_MILLIS: Record<AnalyticsInterval, number> = {
  '30m': 1_800_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 28 * 86_400_000,
  year: 365 * 86_400_000,
};

/** A site's total counts each kWh once: its main incomers, or every meter where it has none. */
export function sitewide(meters: AnalyticsMeter[]): AnalyticsMeter[] {
  return meters.filter((meter) => !meter.submeter);
}

function rangeError(message: string): DomainException {
  return new DomainException('invalid_analytics_range', message);
}

/** Per period: the meters' energy summed, their coverage averaged (a silent meter counts 0). */
export function totals(
  series: MeterSeries[],
  periods: LocalPeriod[],
  timeZone: string,
): EnergyPeriodDto[] {
  return periods.map((period, index) => {
    let energy = 0;
    let coverage = 0;
    for (const meter of series) {
      energy += meter.periods[index].energyKwh;
      coverage += coverageOf(meter, index, period);
    }
    return {
      start: localInstant(period.start, timeZone),
      end: localInstant(period.end, timeZone),
      energyKwh: roundKwh(energy),
      coverage: series.length > 0 ? roundShare(coverage / series.length) : 0,
    };
  });
}

export function attachComparison(items: EnergyPeriodDto[], compared: EnergyPeriodDto[]): void {
  items.forEach((item, index) => {
    const other = compared[index];
    if (!other) return;
    item.compared = {
      ...other,
      changeKwh: roundKwh(item.energyKwh - other.energyKwh),
      changePercent:
        other.energyKwh === 0
          ? null
          : roundShare(((item.energyKwh - other.energyKwh) / other.energyKwh) * 100),
    };
  });
}

function groups(
  series: MeterSeries[],
  periods: LocalPeriod[],
  timeZone: string,
  groupBy: 'meter' | 'kind',
): EnergyGroupDto[] {
  const byKey = new Map<string, { label: string; series: MeterSeries[] }>();
  for (const meter of series) {
    const key = groupBy === 'meter' ? meter.meter.id : meter.meter.kind;
    const label = groupBy === 'meter' ? meter.meter.name : meter.meter.kind;
    const group = byKey.get(key) ?? { label, series: [] };
    group.series.push(meter);
    byKey.set(key, group);
  }
  return [...byKey].map(([key, group]) => ({
    key,
    label: group.label,
    items: totals(group.series, periods, timeZone),
  }));
}
