import { Injectable } from '@nestjs/common';
import type { OperatingHours, TariffDocument, Weekday } from '@gridwatch/contracts';
import { localClock, localInstant, periodIndexOf, tariffRateAt } from '@gridwatch/domain';
import { AnalyticsRepository, type HourLoad } from './analytics.repository';
import { AnalyticsService } from './analytics.service';
import type { AnalyticsTargetDto } from './dto/analytics-query.dto';
import type {
  HourProfileDto,
  OperatingHoursSplitDto,
  PeakDemandDto,
  PeakDemandQueryDto,
  UsageProfileDto,
  WasteMeterDto,
} from './dto/profile.dto';
import { EnergySeries, roundKwh, roundShare } from './energy-series';
import { TariffsService } from './tariffs.service';
import { SitesService } from '../devices/sites.service';

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const WASTE_LIST = 10;
const SLOT_MILLIS = 15 * 60_000;

/** Load profiles, in-hours vs out-of-hours energy, and peak demand. */
@Injectable()
export class ProfileService {
  constructor(
    private readonly analytics: AnalyticsService,
    private readonly repository: AnalyticsRepository,
    private readonly series: EnergySeries,
    private readonly tariffs: TariffsService,
    private readonly sites: SitesService,
  ) {}

  async usageProfile(organizationId: string, query: AnalyticsTargetDto): Promise<UsageProfileDto> {
    const target = await this.analytics.target(organizationId, query);
    const { from, to } = this.range(query);
    const loads = target.meters.length
      ? await this.repository.loadByLocalHour(
          target.meters.map((meter) => meter.id),
          from,
          to,
          target.timezone,
        )
      : [];
    return {
      timezone: target.timezone,
      all: hourProfile(loads),
      weekdays: hourProfile(loads.filter((load) => !load.weekend)),
      weekends: hourProfile(loads.filter((load) => load.weekend)),
    };
  }

  /**
   * Energy inside and outside each site's operating hours (a 15-minute slot counts by its local
   * start; a weekday without hours is closed all day), priced when the site has a tariff.
   */
  async operatingHours(
    organizationId: string,
    query: AnalyticsTargetDto,
  ): Promise<OperatingHoursSplitDto> {
    const target = await this.analytics.target(organizationId, query);
    const { from, to } = this.range(query);
    // Every meter is ranked in the waste list; only the totalled ones make the split.
    const slots = await this.series.slots(target.breakdown, from, to);
    const totalled = new Set(target.meters.map((meter) => meter.id));
    const hours = new Map<string, OperatingHours>();
    const tariffs = new Map<string, TariffDocument>();
    for (const siteId of target.siteZones.keys()) {
      hours.set(siteId, (await this.sites.load(organizationId, siteId)).operatingHours);
      const tariff = await this.tariffs.current(siteId);
      if (tariff) tariffs.set(siteId, tariff.document);
    }
    const priced = tariffs.size === target.siteZones.size && tariffs.size > 0;
    const split = { in: { kwh: 0, cost: 0 }, out: { kwh: 0, cost: 0 } };
    const perMeter = new Map<string, { total: number; out: number; outCost: number }>();
    const meters = new Map(target.breakdown.map((meter) => [meter.id, meter]));
    for (const slot of slots) {
      const meter = meters.get(slot.meterId);
      if (!meter) continue;
      const clock = localClock(slot.slot, meter.timezone);
      const open = isOpen(hours.get(meter.siteId) ?? {}, clock.weekday, clock.minuteOfDay);
      const tariff = tariffs.get(meter.siteId);
      const rate = tariff && tariffRateAt(tariff, clock.date, clock.weekday, clock.minuteOfDay);
      const cost = slot.energyKwh * (rate?.price ?? 0);
      if (totalled.has(meter.id)) {
        const side = open ? split.in : split.out;
        side.kwh += slot.energyKwh;
        side.cost += cost;
      }
      const mine = perMeter.get(meter.id) ?? { total: 0, out: 0, outCost: 0 };
      mine.total += slot.energyKwh;
      if (!open) {
        mine.out += slot.energyKwh;
        mine.outCost += cost;
      }
      perMeter.set(meter.id, mine);
    }
    const total = split.in.kwh + split.out.kwh;
    const waste: WasteMeterDto[] = [...perMeter]
      .filter(([, energy]) => energy.out > 0)
      .sort(([, a], [, b]) => b.out - a.out)
      .slice(0, WASTE_LIST)
      .map(([meterId, energy]) => {
        const meter = meters.get(meterId);
        return {
          meterId,
          name: meter?.name ?? '',
          kind: meter?.kind ?? 'other',
          outOfHoursKwh: roundKwh(energy.out),
          outOfHoursCost: priced ? roundKwh(energy.outCost) : null,
          outOfHoursShare: roundShare(energy.out / energy.total),
        };
      });
    return {
      timezone: target.timezone,
      currency: priced ? ([...tariffs.values()][0]?.currency ?? null) : null,
      inHours: { energyKwh: roundKwh(split.in.kwh), cost: priced ? roundKwh(split.in.cost) : null },
      outOfHours: {
        energyKwh: roundKwh(split.out.kwh),
        cost: priced ? roundKwh(split.out.cost) : null,
      },
      outOfHoursShare: total > 0 ? roundShare(split.out.kwh / total) : 0,
      waste,
    };
  }

  /**
   * The highest average demand over a 15- or 30-minute window (local half-hours) per period:
   * the meters' energy in the window, summed, per hour of window.
   */
  async peakDemand(organizationId: string, query: PeakDemandQueryDto): Promise<PeakDemandDto> {
    const target = await this.analytics.target(organizationId, query);
    const periods = this.analytics.periods(query, target.timezone);
    const from = new Date(periods[0].start);
    const to = new Date(periods[periods.length - 1].end);
    const slots = await this.series.slots(target.meters, from, to);
    const windows = new Map<number, number>();
    for (const slot of slots) {
      const start = query.window === 15 ? slot.slot : halfHourStart(slot.slot, target.timezone);
      windows.set(start, (windows.get(start) ?? 0) + slot.energyKwh);
    }
    const items = periods.map((period) => ({
      start: localInstant(period.start, target.timezone),
      end: localInstant(period.end, target.timezone),
      peakKw: null as number | null,
      at: null as string | null,
    }));
    const perHour = 60 / query.window;
    for (const [start, energy] of [...windows].sort(([a], [b]) => a - b)) {
      const item = items[periodIndexOf(periods, start)];
      const kw = roundKwh(energy * perHour);
      if (!item || (item.peakKw !== null && item.peakKw >= kw)) continue;
      item.peakKw = kw;
      item.at = localInstant(start, target.timezone);
    }
    return { timezone: target.timezone, window: query.window, items };
  }

  private range(query: { from: string; to: string }): { from: Date; to: Date } {
    this.analytics.periods({ ...query, interval: 'day' }, 'UTC');
    return { from: new Date(query.from), to: new Date(query.to) };
  }
}

function isOpen(hours: OperatingHours, isoWeekday: number, minuteOfDay: number): boolean {
  const day = hours[WEEKDAYS[isoWeekday - 1]];
  if (!day) return false;
  const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
  return minutes(day.open) <= minuteOfDay && minuteOfDay < minutes(day.close);
}

/** The local half-hour a 15-minute slot lies in (every zone's half-hours are whole slots). */
function halfHourStart(slot: number, timeZone: string): number {
  return localClock(slot, timeZone).minuteOfDay % 30 === 0 ? slot : slot - SLOT_MILLIS;
}

function hourProfile(loads: HourLoad[]): HourProfileDto[] {
  return Array.from({ length: 24 }, (_, hour) => {
    const mine = loads.filter((load) => load.hour === hour);
    const count = mine.reduce((sum, load) => sum + load.loads, 0);
    if (count === 0) return { hour, average: null, peak: null };
    const average = mine.reduce((sum, load) => sum + load.average * load.loads, 0) / count;
    return {
      hour,
      average: roundKwh(average),
      peak: Math.max(...mine.map((load) => load.peak)),
    };
  });
}
