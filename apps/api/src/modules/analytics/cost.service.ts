import { Injectable } from '@nestjs/common';
import type { TariffDocument } from '@gridwatch/contracts';
import {
  comparedPeriods,
  localClock,
  localInstant,
  localPeriods,
  periodIndexOf,
  standingChargeOn,
  tariffRateAt,
  type LocalPeriod,
} from '@gridwatch/domain';
import { DomainException, NotFound } from '@gridwatch/server';
import type { EnergySlot } from './analytics.repository';
import { AnalyticsService, type AnalyticsTarget } from './analytics.service';
import type { PeriodQueryDto } from './dto/analytics-query.dto';
import type { CostDto, CostPeriodDto } from './dto/cost.dto';
import { coverageOf, EnergySeries, roundKwh, roundShare } from './energy-series';
import { TariffsService } from './tariffs.service';

/** Prices every slot's energy by its site's tariff band, as energy and money per period. */
@Injectable()
export class CostService {
  constructor(
    private readonly analytics: AnalyticsService,
    private readonly series: EnergySeries,
    private readonly tariffs: TariffsService,
  ) {}

  async cost(organizationId: string, query: PeriodQueryDto): Promise<CostDto> {
    const target = await this.analytics.target(organizationId, query);
    const tariffs = await this.siteTariffs(target);
    const periods = this.analytics.periods(query, target.timezone);
    const items = await this.costs(target, tariffs, periods);
    if (query.compare) {
      const earlier = comparedPeriods(periods, target.timezone, query.interval, query.compare);
      const compared = await this.costs(target, tariffs, earlier);
      items.forEach((item, index) => {
        const other = compared[index];
        item.compared = {
          start: other.start,
          end: other.end,
          energyKwh: other.energyKwh,
          cost: other.cost,
          changeCost: roundKwh(item.cost - other.cost),
          changePercent:
            other.cost === 0 ? null : roundShare(((item.cost - other.cost) / other.cost) * 100),
        };
      });
    }
    const currency = [...tariffs.values()][0]?.currency ?? '';
    return { timezone: target.timezone, currency, items };
  }

  /** Energy, its cost per band and the standing charges of the target per period. */
  async costs(
    target: AnalyticsTarget,
    tariffs: Map<string, TariffDocument>,
    periods: LocalPeriod[],
  ): Promise<CostPeriodDto[]> {
    const from = new Date(periods[0].start);
    const to = new Date(periods[periods.length - 1].end);
    const counters = await this.series.counterMeters(target.meters, from, to);
    const slots = await this.series.slots(target.meters, from, to, counters);
    const series = this.series.fromSlots(target.meters, counters, periods, slots);
    const items: CostPeriodDto[] = periods.map((period, index) => ({
      start: localInstant(period.start, target.timezone),
      end: localInstant(period.end, target.timezone),
      energyKwh: roundKwh(series.reduce((sum, meter) => sum + meter.periods[index].energyKwh, 0)),
      coverage:
        series.length === 0
          ? 0
          : roundShare(
              series.reduce((sum, meter) => sum + coverageOf(meter, index, period), 0) /
                series.length,
            ),
      energyCost: 0,
      standingCharge: 0,
      cost: 0,
      bands: [],
    }));
    this.priceSlots(target, tariffs, periods, slots, items);
    if (target.scope !== 'meter') this.addStandingCharges(target, tariffs, periods, items);
    for (const item of items) {
      item.energyCost = roundKwh(item.energyCost);
      item.standingCharge = roundKwh(item.standingCharge);
      item.cost = roundKwh(item.energyCost + item.standingCharge);
      for (const band of item.bands) {
        band.energyKwh = roundKwh(band.energyKwh);
        band.cost = roundKwh(band.cost);
      }
    }
    return items;
  }

  private priceSlots(
    target: AnalyticsTarget,
    tariffs: Map<string, TariffDocument>,
    periods: LocalPeriod[],
    slots: EnergySlot[],
    items: CostPeriodDto[],
  ): void {
    const meters = new Map(target.meters.map((meter) => [meter.id, meter]));
    for (const slot of slots) {
      const index = periodIndexOf(periods, slot.slot);
      const meter = meters.get(slot.meterId);
      if (index < 0 || !meter) continue;
      const clock = localClock(slot.slot, meter.timezone);
      const tariff = tariffs.get(meter.siteId);
      const rate = tariff && tariffRateAt(tariff, clock.date, clock.weekday, clock.minuteOfDay);
      const item = items[index];
      const band = rate?.band ?? 'unpriced';
      let entry = item.bands.find((candidate) => candidate.band === band);
      if (!entry) {
        entry = { band, energyKwh: 0, cost: 0 };
        item.bands.push(entry);
      }
      const cost = slot.energyKwh * (rate?.price ?? 0);
      entry.energyKwh += slot.energyKwh;
      entry.cost += cost;
      item.energyCost += cost;
    }
  }

  /** Each site's standing charge per local day, in the period where that day starts. */
  private addStandingCharges(
    target: AnalyticsTarget,
    tariffs: Map<string, TariffDocument>,
    periods: LocalPeriod[],
    items: CostPeriodDto[],
  ): void {
    const from = periods[0].start;
    const to = periods[periods.length - 1].end;
    for (const [siteId, tariff] of tariffs) {
      const zone = target.siteZones.get(siteId) ?? target.timezone;
      for (const day of localPeriods(from, to, zone, 'day')) {
        const index = periodIndexOf(periods, day.start);
        if (index < 0) continue;
        items[index].standingCharge += standingChargeOn(tariff, localClock(day.start, zone).date);
      }
    }
  }

  /** The tariff of every site in the target; 404 when one has none, 400 for mixed currencies. */
  private async siteTariffs(target: AnalyticsTarget): Promise<Map<string, TariffDocument>> {
    const tariffs = new Map<string, TariffDocument>();
    for (const siteId of target.siteZones.keys()) {
      const tariff = await this.tariffs.current(siteId);
      if (!tariff) throw new NotFound('tariff_not_found', `Tariff of site ${siteId}`);
      tariffs.set(siteId, tariff.document);
    }
    const currencies = new Set([...tariffs.values()].map((tariff) => tariff.currency));
    if (currencies.size > 1)
      throw new DomainException(
        'invalid_analytics_range',
        'The sites price in different currencies: ask for one site at a time',
        { currencies: [...currencies] },
      );
    return tariffs;
  }
}
