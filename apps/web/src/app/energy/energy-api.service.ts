import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  AnalyticsInterval,
  AnalyticsScope,
  MeterKind,
  TariffDocument,
} from '@gridwatch/contracts';
import { Observable } from 'rxjs';
import { apiUrl } from '../shared/api-url';

/** Against what a figure is compared: the run of periods before, or the same ones a year earlier. */
export type Comparison = 'previous' | 'year';

/** What to total: a meter, a site or the organization, over [from, to). */
export interface AnalyticsTarget {
  scope: AnalyticsScope;
  /** The meter's or site's id (not for the organization). */
  id?: string;
  from: Date;
  to: Date;
}

export interface PeriodQuery extends AnalyticsTarget {
  interval: AnalyticsInterval;
  compare?: Comparison;
}

export interface ComparedPeriod {
  start: string;
  end: string;
  energyKwh: number;
  coverage: number;
  changeKwh: number;
  changePercent: number | null;
}

export interface EnergyPeriodView {
  start: string;
  end: string;
  energyKwh: number;
  coverage: number;
  compared?: ComparedPeriod;
}

/** `GET /analytics/consumption`. */
export interface Consumption {
  timezone: string;
  items: EnergyPeriodView[];
}

export interface BandCost {
  band: string;
  energyKwh: number;
  cost: number;
}

export interface ComparedCost {
  start: string;
  end: string;
  energyKwh: number;
  cost: number;
  changeCost: number;
  changePercent: number | null;
}

export interface CostPeriod {
  start: string;
  end: string;
  energyKwh: number;
  coverage: number;
  energyCost: number;
  standingCharge: number;
  cost: number;
  bands: BandCost[];
  compared?: ComparedCost;
}

/** `GET /analytics/cost` (404 tariff_not_found when the site has no tariff). */
export interface Cost {
  timezone: string;
  currency: string;
  items: CostPeriod[];
}

export interface HourProfile {
  hour: number;
  /** Mean load, W; null without data. */
  average: number | null;
  /** Highest 5-minute load, W. */
  peak: number | null;
}

/** `GET /analytics/usage-profile`. */
export interface UsageProfile {
  timezone: string;
  all: HourProfile[];
  weekdays: HourProfile[];
  weekends: HourProfile[];
}

export interface WasteMeter {
  meterId: string;
  name: string;
  kind: MeterKind;
  outOfHoursKwh: number;
  outOfHoursCost: number | null;
  outOfHoursShare: number;
}

/** `GET /analytics/operating-hours`. */
export interface OperatingHoursSplit {
  timezone: string;
  currency: string | null;
  inHours: { energyKwh: number; cost: number | null };
  outOfHours: { energyKwh: number; cost: number | null };
  outOfHoursShare: number;
  waste: WasteMeter[];
}

/** `GET|PUT /sites/{id}/tariff`. */
export interface SiteTariff extends TariffDocument {
  siteId: string;
  updatedAt: string;
}

export type ReportPeriod = 'week' | 'month';
export type ReportFormat = 'csv' | 'pdf';

export interface ReportSubscription {
  id: string;
  siteId: string;
  period: ReportPeriod;
  recipients: string[];
  nextReportAt: string;
  createdAt: string;
}

/** Energy analytics, tariffs and reports (`readings:read`; tariffs and subscriptions `settings:*`). */
@Injectable({ providedIn: 'root' })
export class EnergyApiService {
  private readonly http = inject(HttpClient);

  consumption(query: PeriodQuery): Observable<Consumption> {
    return this.http.get<Consumption>(apiUrl('analytics/consumption'), {
      params: periodParams(query),
    });
  }

  cost(query: PeriodQuery): Observable<Cost> {
    return this.http.get<Cost>(apiUrl('analytics/cost'), { params: periodParams(query) });
  }

  usageProfile(target: AnalyticsTarget): Observable<UsageProfile> {
    return this.http.get<UsageProfile>(apiUrl('analytics/usage-profile'), {
      params: targetParams(target),
    });
  }

  operatingHours(target: AnalyticsTarget): Observable<OperatingHoursSplit> {
    return this.http.get<OperatingHoursSplit>(apiUrl('analytics/operating-hours'), {
      params: targetParams(target),
    });
  }

  tariff(siteId: string): Observable<SiteTariff> {
    return this.http.get<SiteTariff>(apiUrl(`sites/${encodeURIComponent(siteId)}/tariff`));
  }

  saveTariff(siteId: string, document: TariffDocument): Observable<SiteTariff> {
    return this.http.put<SiteTariff>(
      apiUrl(`sites/${encodeURIComponent(siteId)}/tariff`),
      document,
    );
  }

  /** A site's week or month report as a file; `date` (YYYY-MM-DD) picks the period. */
  report(siteId: string, period: ReportPeriod, format: ReportFormat, date?: string) {
    return this.http.get(apiUrl(`reports/site/${encodeURIComponent(siteId)}`), {
      params: { period, format, ...(date ? { date } : {}) },
      responseType: 'blob',
    });
  }

  subscriptions(): Observable<{ items: ReportSubscription[]; total: number }> {
    return this.http.get<{ items: ReportSubscription[]; total: number }>(
      apiUrl('reports/subscriptions'),
    );
  }

  subscribe(siteId: string, period: ReportPeriod, recipients: string[]) {
    return this.http.post<ReportSubscription>(apiUrl('reports/subscriptions'), {
      siteId,
      period,
      recipients,
    });
  }

  unsubscribe(id: string): Observable<void> {
    return this.http.delete<void>(apiUrl(`reports/subscriptions/${encodeURIComponent(id)}`));
  }
}

function targetParams(target: AnalyticsTarget): Record<string, string> {
  return {
    scope: target.scope,
    ...(target.id ? { id: target.id } : {}),
    from: target.from.toISOString(),
    to: target.to.toISOString(),
  };
}

function periodParams(query: PeriodQuery): Record<string, string> {
  return {
    ...targetParams(query),
    interval: query.interval,
    ...(query.compare ? { compare: query.compare } : {}),
  };
}
