import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { MeterKind } from '@gridwatch/contracts';

export interface AnalyticsMeter {
  id: string;
  name: string;
  kind: MeterKind;
  siteId: string;
  siteName: string;
  timezone: string;
  /** The meter's reading interval (its heartbeat interval), seconds. */
  intervalSeconds: number;
  /** Behind its site's main incomer: its energy is already in the incomer's. */
  submeter: boolean;
}

/** Energy of one meter in one 15-minute UTC slot (every zone's half-hours are whole slots). */
export interface EnergySlot {
  meterId: string;
  slot: number;
  energyKwh: number;
  /** Folded readings. */
  count: number;
  /** Seconds the integration bridged (power meters only). */
  coveredSeconds: number;
}

/** Counter energy of one meter on one site-local day. */
export interface EnergyDay {
  meterId: string;
  day: string;
  energyKwh: number;
  count: number;
}

const SLOT = `date_bin('15 minutes', bucket, TIMESTAMPTZ '1970-01-01T00:00:00Z')`;

/** Analytics reads of the rollup tables; never of raw readings. */
@Injectable()
export class AnalyticsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Energy meters (every kind but water) of an organization, optionally one site or one meter. */
  meters(
    organizationId: string,
    filter: { siteId?: string; meterId?: string },
  ): Promise<AnalyticsMeter[]> {
    return this.db.query(
      `SELECT m.id, m.name, m.kind, m.site_id AS "siteId", s.name AS "siteName", s.timezone,
              m.heartbeat_interval_seconds AS "intervalSeconds",
              (m.kind <> 'main' AND EXISTS (SELECT 1 FROM meters i
                                           WHERE i.site_id = m.site_id AND i.kind = 'main'))
                AS submeter
       FROM meters m JOIN sites s ON s.id = m.site_id
       WHERE m.organization_id = $1 AND ($2::uuid IS NULL OR m.site_id = $2)
         AND ($3::uuid IS NULL OR m.id = $3) AND m.kind <> 'water'
       ORDER BY m.name, m.id`,
      [organizationId, filter.siteId ?? null, filter.meterId ?? null],
    );
  }

  /** The meters that have energy counter rollups in [from, to): the rest are integrated from power. */
  async counterMeters(meterIds: string[], from: Date, to: Date): Promise<Set<string>> {
    const rows = (await this.db.query(
      `SELECT m.id FROM unnest($1::uuid[]) AS m(id)
       WHERE EXISTS (SELECT 1 FROM reading_rollups_1d r
                     WHERE r.meter_id = m.id AND r.parameter = 'energy_kwh'
                       AND r.bucket >= $2::timestamptz - interval '1 day' AND r.bucket < $3)`,
      [meterIds, from, to],
    )) as Array<{ id: string }>;
    return new Set(rows.map((row) => row.id));
  }

  /** Counter consumption per meter and site-local day, local dates in [fromDay, toDay). */
  async counterDays(meterIds: string[], fromDay: string, toDay: string): Promise<EnergyDay[]> {
    const rows = (await this.db.query(
      `SELECT meter_id AS "meterId", to_char(day, 'YYYY-MM-DD') AS day,
              coalesce(consumption, 0) AS "energyKwh", count
       FROM reading_rollups_1d
       WHERE meter_id = ANY($1::uuid[]) AND parameter = 'energy_kwh' AND day >= $2::date AND day < $3::date`,
      [meterIds, fromDay, toDay],
    )) as EnergyDay[];
    return rows;
  }

  /**
   * Counter consumption summed over the meters per period, from the site-local daily rollups, and
   * each period's coverage summed over the meters (a meter's capped at 1): one row per period
   * instead of one per meter and day. `days.periods[i]` is the period of the i-th local date from
   * `days.first` on (the periods are consecutive whole days); `seconds` is each period's length.
   * Periods of one day need no grouping per meter.
   */
  async counterPeriodTotals(
    meters: Array<{ id: string; intervalSeconds: number }>,
    days: { first: string; periods: number[] },
    seconds: number[],
  ): Promise<PeriodTotal[]> {
    const oneDay = days.periods.length === seconds.length;
    return this.db.query(
      `WITH per_meter AS (
         SELECT ($3::int[])[r.day - $4::date + 1] AS period, m.interval_s,
                ${oneDay ? 'coalesce(r.consumption, 0)' : 'sum(coalesce(r.consumption, 0))'} AS energy,
                ${oneDay ? 'r.count' : 'sum(r.count)'} AS count
         FROM unnest($1::uuid[], $2::int[]) AS m(id, interval_s)
         JOIN reading_rollups_1d r ON r.meter_id = m.id AND r.parameter = 'energy_kwh'
           AND r.day >= $4::date AND r.day < $4::date + $6::int
         ${oneDay ? '' : 'GROUP BY 1, m.id, m.interval_s'}
       )
       SELECT period, sum(energy)::float8 AS "energyKwh",
              sum(least(1, count * interval_s / ($5::float8[])[period + 1]))::float8 AS "coverageSum"
       FROM per_meter GROUP BY period`,
      [
        meters.map((meter) => meter.id),
        meters.map((meter) => meter.intervalSeconds),
        days.periods,
        days.first,
        seconds,
        days.periods.length,
      ],
    );
  }

  /** Counter consumption per meter and 15-minute slot, from the 5-minute rollups. */
  async counterSlots(meterIds: string[], from: Date, to: Date): Promise<EnergySlot[]> {
    const rows = (await this.db.query(
      `SELECT meter_id AS "meterId", ${SLOT} AS slot, coalesce(sum(consumption), 0) AS "energyKwh",
              sum(count)::int AS count, 0 AS "coveredSeconds"
       FROM reading_rollups_5m
       WHERE meter_id = ANY($1::uuid[]) AND parameter = 'energy_kwh' AND bucket >= $2 AND bucket < $3
       GROUP BY 1, 2`,
      [meterIds, from, to],
    )) as Array<Omit<EnergySlot, 'slot'> & { slot: Date }>;
    return rows.map((row) => ({ ...row, slot: row.slot.getTime() }));
  }

  /**
   * Energy integrated from power per meter and 15-minute slot (trapezoid rule). Inside a 5-minute
   * bucket the readings are taken as evenly spaced: h x (sum - (first + last) / 2). Between a
   * bucket's last reading and the next bucket's first the segment is bridged only when it is at
   * most twice the meter's interval, and belongs to the earlier bucket.
   */
  async powerSlots(meterIds: string[], from: Date, to: Date): Promise<EnergySlot[]> {
    const rows = (await this.db.query(
      `WITH buckets AS (
         SELECT r.meter_id, r.bucket, r.count, r.sum, r.first_ts, r.first_value, r.last_ts,
                r.last_value, m.heartbeat_interval_seconds AS interval_s,
                lead(r.first_ts) OVER w AS next_ts, lead(r.first_value) OVER w AS next_value
         FROM reading_rollups_5m r JOIN meters m ON m.id = r.meter_id
         WHERE r.meter_id = ANY($1::uuid[]) AND r.parameter = 'power_w' AND r.count > 0
           AND r.bucket >= $2
           AND r.bucket < $3::timestamptz + make_interval(secs => 2 * m.heartbeat_interval_seconds)
         WINDOW w AS (PARTITION BY r.meter_id ORDER BY r.bucket)
       ), segments AS (
         SELECT meter_id, bucket, count,
                CASE WHEN count > 1
                     THEN extract(epoch FROM last_ts - first_ts) / (count - 1)
                          * (sum - (first_value + last_value) / 2)
                     ELSE 0 END AS inner_ws,
                extract(epoch FROM last_ts - first_ts) AS inner_s,
                extract(epoch FROM next_ts - last_ts) AS gap_s,
                (last_value + next_value) / 2 AS gap_w,
                interval_s
         FROM buckets WHERE bucket < $3
       )
       SELECT meter_id AS "meterId", ${SLOT} AS slot, sum(count)::int AS count,
              (sum(inner_ws + CASE WHEN gap_s <= 2 * interval_s THEN gap_w * gap_s ELSE 0 END)
                / 3600000)::float8 AS "energyKwh",
              sum(inner_s + CASE WHEN gap_s <= 2 * interval_s THEN gap_s ELSE 0 END)::float8
                AS "coveredSeconds"
       FROM segments GROUP BY 1, 2`,
      [meterIds, from, to],
    )) as Array<Omit<EnergySlot, 'slot'> & { slot: Date }>;
    return rows.map((row) => ({ ...row, slot: row.slot.getTime() }));
  }

  /**
   * The meters' summed 5-minute average power per local hour of the day, weekdays (ISO 1-5) and
   * weekends apart: the mean and the highest of those loads, and how many 5-minute loads there are.
   */
  loadByLocalHour(meterIds: string[], from: Date, to: Date, timeZone: string): Promise<HourLoad[]> {
    return this.db.query(
      `WITH load AS (
         SELECT bucket, sum(sum / count) AS watts FROM reading_rollups_5m
         WHERE meter_id = ANY($1::uuid[]) AND parameter = 'power_w' AND count > 0
           AND bucket >= $2 AND bucket < $3
         GROUP BY bucket
       )
       SELECT extract(hour FROM bucket AT TIME ZONE $4)::int AS hour,
              extract(isodow FROM bucket AT TIME ZONE $4) >= 6 AS weekend,
              avg(watts)::float8 AS average, max(watts)::float8 AS peak, count(*)::int AS loads
       FROM load GROUP BY 1, 2 ORDER BY 1, 2`,
      [meterIds, from, to, timeZone],
    );
  }
}

/** Energy of a period summed over meters, and their coverage summed (divide by the meters). */
export interface PeriodTotal {
  period: number;
  energyKwh: number;
  coverageSum: number;
}

export interface HourLoad {
  hour: number;
  weekend: boolean;
  average: number;
  peak: number;
  loads: number;
}
