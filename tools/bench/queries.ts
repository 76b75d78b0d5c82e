/**
 * `--full` only: queries over 10 million readings. A second site of 1,000 meters (20 gateways x
 * 50, created through the API) gets hourly power_w readings for 417 days written straight into
 * the readings table, with their hourly and daily rollups computed in SQL (the ingest path would
 * take hours at today's rate), then:
 * - a 30-day hourly series of one meter through GET /api/v1/meters/{id}/readings (random meters);
 * - the site's daily series for a year, and the latest values of its 1,000 meters: the API has no
 *   endpoint for either yet, so they are measured as SQL on the same tables (labelled so).
 */
import { Pool } from 'pg';
import type { ManifestGateway } from '../simulators/manifest';
import { ManagementClient } from '../simulators/management-client';
import { percentilesOf, step } from './common';
import { createFleet } from './readings';
import { ms, verdict, type Row } from './report';
import type { BenchStack } from './stack';

const DAYS = 417; // x 24 h x 1,000 meters = 10,008,000 readings

export interface QueryReport {
  rows: Row[];
  loaded: number;
}

async function timed(runs: number, run: () => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times;
}

export async function runQueries(
  stack: BenchStack,
  token: string,
  _benchGateways: ManifestGateway[],
): Promise<QueryReport> {
  const client = await ManagementClient.login(stack.api, stack.owner.email, stack.owner.password);
  const fleet = await createFleet(client, 20, 50, `Q${stack.id.slice(-8)}`);
  const meterIds = fleet.gateways.flatMap((gateway) => gateway.meters.map((meter) => meter.id));
  const pool = new Pool({ connectionString: stack.databaseUrl, max: 4 });
  try {
    const { rows: siteRows } = await pool.query<{ site: string }>(
      'SELECT site_id AS site FROM meters WHERE id = $1',
      [meterIds[0]],
    );
    const siteId = siteRows[0].site;
    step(`queries: loading ${DAYS} days x 24 h x ${meterIds.length} meters of power_w`);
    const started = performance.now();
    const chunks: string[][] = [];
    for (let i = 0; i < meterIds.length; i += 50) chunks.push(meterIds.slice(i, i + 50));
    let next = 0;
    const loader = async (): Promise<void> => {
      while (next < chunks.length) {
        const chunk = chunks[next];
        next += 1;
        await pool.query(
          `INSERT INTO readings (meter_id, parameter, ts, value, unit, quality, source, organization_id, gateway_id)
           SELECT m.id, 'power_w', t, 500 + 400 * sin(extract(epoch FROM t) / 43200 * pi()) + random() * 50,
                  'W', 'good', 'http', m.organization_id, m.gateway_id
           FROM meters m
           CROSS JOIN generate_series(date_trunc('hour', now()) - interval '${DAYS} days',
                                      date_trunc('hour', now()) - interval '1 hour', interval '1 hour') AS t
           WHERE m.id = ANY($1::uuid[])
           ON CONFLICT DO NOTHING`,
          [chunk],
        );
        await pool.query(
          `INSERT INTO reading_rollups_1h (meter_id, parameter, bucket, organization_id, count, sum, min, max,
                                           first_ts, first_value, last_ts, last_value, consumption)
           SELECT meter_id, parameter, ts, organization_id, 1, value, value, value, ts, value, ts, value, NULL
           FROM readings WHERE meter_id = ANY($1::uuid[]) AND parameter = 'power_w'
           ON CONFLICT DO NOTHING`,
          [chunk],
        );
        await pool.query(
          `INSERT INTO reading_rollups_1d (meter_id, parameter, day, bucket, organization_id, count, sum, min, max,
                                           first_ts, first_value, last_ts, last_value, consumption)
           SELECT r.meter_id, r.parameter, (r.ts AT TIME ZONE s.timezone)::date,
                  min((r.ts AT TIME ZONE s.timezone)::date::timestamp AT TIME ZONE s.timezone),
                  r.organization_id, count(*), sum(r.value), min(r.value), max(r.value),
                  min(r.ts), (array_agg(r.value ORDER BY r.ts))[1], max(r.ts),
                  (array_agg(r.value ORDER BY r.ts DESC))[1], NULL
           FROM readings r JOIN meters m ON m.id = r.meter_id JOIN sites s ON s.id = m.site_id
           WHERE r.meter_id = ANY($1::uuid[]) AND r.parameter = 'power_w'
           GROUP BY r.meter_id, r.parameter, (r.ts AT TIME ZONE s.timezone)::date, r.organization_id
           ON CONFLICT DO NOTHING`,
          [chunk],
        );
      }
    };
    await Promise.all(Array.from({ length: 2 }, loader));
    await pool.query('ANALYZE readings');
    await pool.query('ANALYZE reading_rollups_1h');
    await pool.query('ANALYZE reading_rollups_1d');
    const { rows: counted } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM readings WHERE parameter = 'power_w' AND meter_id = ANY($1::uuid[])`,
      [meterIds],
    );
    const loaded = Number(counted[0].n);
    step(
      `queries: ${loaded} readings and rollups loaded in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );

    const to = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    const from = new Date(to.getTime() - 30 * 86_400_000);
    let failures = 0;
    const hourly = await timed(100, async () => {
      const meter = meterIds[Math.floor(Math.random() * meterIds.length)];
      const url =
        `${stack.api}/api/v1/meters/${meter}/readings?aggregation=hourly&parameter=power_w` +
        `&from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}&limit=1000`;
      const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
      const body = (await response.json()) as { items?: unknown[] };
      if (!response.ok || (body.items?.length ?? 0) < 700) failures += 1;
    });
    const yearAgo = new Date(to.getTime() - 365 * 86_400_000);
    const daily = await timed(20, async () => {
      await pool.query(
        `SELECT r.day, sum(r.sum) / nullif(sum(r.count), 0) AS avg, max(r.max) AS max
         FROM reading_rollups_1d r JOIN meters m ON m.id = r.meter_id
         WHERE m.site_id = $1 AND r.parameter = 'power_w' AND r.bucket >= $2 AND r.bucket < $3
         GROUP BY r.day ORDER BY r.day`,
        [siteId, yearAgo, to],
      );
    });
    const latest = await timed(20, async () => {
      await pool.query(
        `SELECT m.id, l.ts, l.value FROM meters m
         CROSS JOIN LATERAL (SELECT ts, value FROM readings r
                             WHERE r.meter_id = m.id AND r.parameter = 'power_w'
                             ORDER BY ts DESC LIMIT 1) l
         WHERE m.site_id = $1`,
        [siteId],
      );
    });
    const h = percentilesOf(hourly);
    const d = percentilesOf(daily);
    const l = percentilesOf(latest);
    return {
      loaded,
      rows: [
        {
          measure: `30-day hourly series, one meter (API, ${(loaded / 1e6).toFixed(1)} M readings${failures ? `, ${failures} bad answers` : ''})`,
          figure: `p50 ${ms(h.p50)} / p95 ${ms(h.p95)} (n=${h.samples})`,
          target: 'p95 < 20 ms',
          met: verdict(h.p95, (v) => v < 20),
        },
        {
          measure: 'site daily series for a year, 1,000 meters (SQL: no API endpoint)',
          figure: `p50 ${ms(d.p50)} / p95 ${ms(d.p95)} (n=${d.samples})`,
        },
        {
          measure: 'latest values of 1,000 meters (SQL: no bulk API endpoint)',
          figure: `p50 ${ms(l.p50)} / p95 ${ms(l.p95)} (n=${l.samples})`,
        },
      ],
    };
  } finally {
    await pool.end();
  }
}
