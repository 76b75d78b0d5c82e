import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { lastDueReport, localClock, localInstant } from '@gridwatch/domain';
import { DomainException } from '@gridwatch/server';
import { AlertsService } from '../alerts/alerts.service';
import { AnalyticsService } from '../analytics/analytics.service';
import { CostService } from '../analytics/cost.service';
import { ProfileService } from '../analytics/profile.service';
import { TariffsService } from '../analytics/tariffs.service';
import { SitesService } from '../devices/sites.service';
import type { ReportPeriod, SiteReportDto } from './dto/site-report.dto';

/** A site's week or month in figures: energy, cost, out-of-hours share, peak demand, coverage. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly sites: SitesService,
    private readonly analytics: AnalyticsService,
    private readonly costs: CostService,
    private readonly profiles: ProfileService,
    private readonly tariffs: TariffsService,
    private readonly alerts: AlertsService,
  ) {}

  /** The period containing the local `date`, or the last complete one. */
  async siteReport(
    organizationId: string,
    siteId: string,
    period: ReportPeriod,
    date?: string,
  ): Promise<SiteReportDto> {
    const site = await this.sites.load(organizationId, siteId);
    const range = date
      ? periodOf(date, site.timezone, period)
      : lastDueReport(Date.now(), site.timezone, period);
    return this.build(organizationId, siteId, period, range);
  }

  async build(
    organizationId: string,
    siteId: string,
    period: ReportPeriod,
    range: { start: number; end: number },
  ): Promise<SiteReportDto> {
    const site = await this.sites.load(organizationId, siteId);
    const target = { scope: 'site' as const, id: siteId };
    const window = {
      ...target,
      from: new Date(range.start).toISOString(),
      to: new Date(range.end).toISOString(),
    };
    const hasTariff = (await this.tariffs.current(siteId)) !== null;
    const [days, costs, hours, peak, alertsRaised] = await Promise.all([
      this.analytics.consumption(organizationId, { ...window, interval: 'day' }),
      hasTariff ? this.costs.cost(organizationId, { ...window, interval: 'day' }) : undefined,
      this.profiles.operatingHours(organizationId, window),
      this.profiles.peakDemand(organizationId, { ...window, interval: period, window: 30 }),
      this.alerts.raisedAt(organizationId, siteId, new Date(range.start), new Date(range.end)),
    ]);
    const sum = (values: number[]) => Math.round(values.reduce((a, b) => a + b, 0) * 1e6) / 1e6;
    const coverage = days.items.length
      ? days.items.reduce((total, day) => total + day.coverage, 0) / days.items.length
      : 0;
    return {
      siteId,
      siteName: site.name,
      timezone: site.timezone,
      period,
      start: localInstant(range.start, site.timezone),
      end: localInstant(range.end, site.timezone),
      currency: costs?.currency ?? null,
      energyKwh: sum(days.items.map((day) => day.energyKwh)),
      cost: costs ? sum(costs.items.map((day) => day.cost)) : null,
      outOfHoursShare: hours.outOfHoursShare,
      peakDemandKw: peak.items[0]?.peakKw ?? null,
      peakDemandAt: peak.items[0]?.at ?? null,
      alertsRaised,
      coverage: Math.round(coverage * 1e4) / 1e4,
      days: days.items.map((day, index) => ({
        date: localClock(Date.parse(day.start), site.timezone).date,
        energyKwh: day.energyKwh,
        cost: costs ? costs.items[index].cost : null,
        coverage: day.coverage,
      })),
    };
  }
}

function periodOf(date: string, timeZone: string, period: ReportPeriod) {
  const day = DateTime.fromISO(date, { zone: timeZone });
  if (!day.isValid) throw new DomainException('invalid_analytics_range', 'date is not a real date');
  const start = day.startOf(period);
  return { start: start.toMillis(), end: start.plus({ [`${period}s`]: 1 }).toMillis() };
}
