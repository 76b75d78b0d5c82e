/**
 * Analytics benchmark (issue 15): a year of daily consumption for a site of 100 meters through
 * the consumption service of the real API module, on a database of its own. The fixture (a site,
 * 100 counter meters, 365 site-local daily rollups each) is written in SQL; the answer is what
 * GET /api/v1/analytics/consumption?scope=site&interval=day serves. Target: under 200 ms.
 *
 *   node -r ./tools/register.js tools/bench/analytics.ts      (npm run bench:analytics)
 */
import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { DateTime } from 'luxon';
import { Pool } from 'pg';
import { dropDatabase, ensureDatabase, loadConfigWithoutSecrets, migrate } from '@gridwatch/server';
import { AppModule } from '../../apps/api/src/app.module';
import { AnalyticsService } from '../../apps/api/src/modules/analytics/analytics.service';

const METERS = 100;
const DAYS = 365;
const RUNS = 20;
const WARM_UP = 5;
const ZONE = 'Europe/London';

async function main(): Promise<void> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gridwatch';
  const url = new URL(base);
  url.pathname = `/gwbench_analytics_${Date.now()}_${process.pid}`;
  const databaseUrl = url.toString();
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    PROCESS_MODE: 'api',
    JWT_SECRET: randomBytes(32).toString('hex'),
    CREDENTIALS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    QUEUE_PREFIX: `gwbench_analytics_${process.pid}`,
  });
  await ensureDatabase(databaseUrl);
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  try {
    await migrate(loadConfigWithoutSecrets());
    const to = DateTime.now().setZone(ZONE).startOf('day');
    const from = to.minus({ days: DAYS });
    const { organizationId, siteId } = await loadFixture(pool, from);
    const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
    try {
      const analytics = app.get(AnalyticsService);
      const query = {
        scope: 'site' as const,
        id: siteId,
        from: from.toISO() ?? '',
        to: to.toISO() ?? '',
        interval: 'day' as const,
      };
      const first = await analytics.consumption(organizationId, query);
      for (let i = 0; i < WARM_UP; i++) await analytics.consumption(organizationId, query);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        await analytics.consumption(organizationId, query);
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const p50 = times[Math.floor(RUNS / 2)];
      const p95 = times[Math.floor(RUNS * 0.95) - 1];
      console.log(
        [
          `analytics: a year of daily consumption, site of ${METERS} meters (${first.items.length} days, ${METERS * DAYS} daily rollups)`,
          `  p50 ${p50.toFixed(1)} ms   p95 ${p95.toFixed(1)} ms   max ${times[RUNS - 1].toFixed(1)} ms   target < 200 ms: ${p95 < 200 ? 'met' : 'NOT met'}`,
        ].join('\n'),
      );
    } finally {
      await app.close();
    }
  } finally {
    await pool.end();
    await dropDatabase(databaseUrl);
  }
}

/** An organization, a London site, 100 counter meters and a year of their daily rollups. */
async function loadFixture(pool: Pool, from: DateTime) {
  const { rows: orgs } = await pool.query<{ id: string }>(
    `INSERT INTO organizations (name, settings) VALUES ('Bench', '{}') RETURNING id`,
  );
  const organizationId = orgs[0].id;
  const { rows: sites } = await pool.query<{ id: string }>(
    `INSERT INTO sites (organization_id, code, name, timezone) VALUES ($1, 'BENCH', 'Bench', $2) RETURNING id`,
    [organizationId, ZONE],
  );
  const siteId = sites[0].id;
  await pool.query(
    `INSERT INTO meters (organization_id, site_id, name, kind, tags, metadata, range_overrides)
     SELECT $1, $2, 'Meter ' || n, 'other', '{}', '{}', '{}' FROM generate_series(1, $3) AS n`,
    [organizationId, siteId, METERS],
  );
  await pool.query(
    `INSERT INTO reading_rollups_1d (meter_id, parameter, day, bucket, organization_id, count, sum,
       min, max, first_ts, first_value, last_ts, last_value, consumption)
     SELECT m.id, 'energy_kwh', d::date, d::timestamp AT TIME ZONE $3, $1, 48, 0, 0, 0,
            d::timestamp AT TIME ZONE $3, 0, d::timestamp AT TIME ZONE $3, 0, 10 + random()
     FROM meters m, generate_series($4::timestamp, $4::timestamp + ($5::int - 1) * interval '1 day', interval '1 day') AS d
     WHERE m.site_id = $2`,
    [organizationId, siteId, ZONE, from.toISODate(), DAYS],
  );
  return { organizationId, siteId };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
