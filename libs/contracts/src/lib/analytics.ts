/** Local calendar periods analytics answers in (the site's IANA time zone). */
export const AnalyticsInterval = {
  HalfHour: '30m',
  Hour: 'hour',
  Day: 'day',
  Week: 'week',
  Month: 'month',
  Year: 'year',
} as const;
export type AnalyticsInterval = (typeof AnalyticsInterval)[keyof typeof AnalyticsInterval];
export const ANALYTICS_INTERVALS: readonly AnalyticsInterval[] = Object.values(AnalyticsInterval);

export const AnalyticsScope = {
  Meter: 'meter',
  Site: 'site',
  Organization: 'organization',
} as const;
export type AnalyticsScope = (typeof AnalyticsScope)[keyof typeof AnalyticsScope];
export const ANALYTICS_SCOPES: readonly AnalyticsScope[] = Object.values(AnalyticsScope);

/** A time-of-use band: ISO weekdays (1 = Monday) and local "HH:MM" half-hours, `to` exclusive. */
export interface TariffBandRule {
  days: number[];
  from: string;
  /** Exclusive; "24:00" ends at midnight. */
  to: string;
  price: number;
  name?: string;
}

/** Prices in force from `validFrom` (a local date) until `validTo` (exclusive) or the next period. */
export interface TariffPeriod {
  validFrom: string;
  validTo?: string;
  /** Flat tariffs: price per kWh. */
  price?: number;
  /** Time-of-use tariffs: bands covering every day of the week exactly once. */
  bands?: TariffBandRule[];
}

/** A site's tariff document (`GET|PUT /api/v1/sites/{id}/tariff`). */
export interface TariffDocument {
  type: 'flat' | 'time_of_use';
  /** ISO 4217. */
  currency: string;
  standingChargePerDay: number;
  periods: TariffPeriod[];
}

/** The tariff document in force for a site, and when it was set. */
export interface SiteTariffView extends TariffDocument {
  siteId: string;
  updatedAt: string;
}

export interface EnergyPeriod {
  /** RFC 3339 instants of the local period edges. */
  start: string;
  end: string;
  energyKwh: number;
  /** How complete the data behind the figure is, 0..1. */
  coverage: number;
}

/** What became of a report subscription's last period. */
export const ReportRunStatus = {
  /** Claimed by the scheduler and waiting on the notification queue. */
  Queued: 'queued',
  Sent: 'sent',
  /** Not sent and not retried (no SMTP server configured): `reason` says why. */
  Skipped: 'skipped',
  /** A send failed; the queue tries again with backoff. */
  Retrying: 'retrying',
  /** Every attempt failed. */
  Failed: 'failed',
} as const;
export type ReportRunStatus = (typeof ReportRunStatus)[keyof typeof ReportRunStatus];
export const REPORT_RUN_STATUSES: readonly ReportRunStatus[] = Object.values(ReportRunStatus);
