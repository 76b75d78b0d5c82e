import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['reading_rollups_5m', 'reading_rollups_1h', 'reading_rollups_1d'];
const AGGREGATES = ['min', 'max', 'first_ts', 'first_value', 'last_ts', 'last_value'];

// The default COUNTER_RESET_FRACTION: a migration runs before any configuration applies.
const REFOLD_RESET_FRACTION = 0.1;

function refold(table: string, key: string, daily = false): string {
  return `
    INSERT INTO ${table} (meter_id, parameter, ${daily ? 'day, bucket' : 'bucket'}, organization_id,
      count, sum, min, max, first_ts, first_value, last_ts, last_value, consumption, excluded_count)
    SELECT meter_id, parameter, ${key}${daily ? `, (${key})::timestamp AT TIME ZONE timezone` : ''},
           max(organization_id::text)::uuid,
           count(*) FILTER (WHERE included)::int, coalesce(sum(value) FILTER (WHERE included), 0),
           min(value) FILTER (WHERE included), max(value) FILTER (WHERE included),
           min(ts) FILTER (WHERE included), (array_agg(value ORDER BY ts) FILTER (WHERE included))[1],
           max(ts) FILTER (WHERE included), (array_agg(value ORDER BY ts DESC) FILTER (WHERE included))[1],
           CASE WHEN parameter IN ('energy_kwh', 'water_m3') THEN coalesce(sum(consumption), 0) END,
           count(*) FILTER (WHERE NOT included)::int
    FROM rollup_refold
    GROUP BY meter_id, parameter, ${key}${daily ? ', timezone' : ''}`;
}

/**
 * Rollups fold good and estimated readings only; questionable and bad ones are counted apart in
 * excluded_count (raw keeps them all). A bucket may hold only excluded readings: count 0, sum 0,
 * and no min, max, first or last.
 */
export class RollupQuality1795600000002 implements MigrationInterface {
  name = 'RollupQuality1795600000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.query(`ALTER TABLE ${table} ADD excluded_count integer NOT NULL DEFAULT 0`);
      for (const column of AGGREGATES) {
        await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN ${column} DROP NOT NULL`);
      }
    }
    // Existing rollups folded every reading and called every drop a reset: refold them from raw.
    await queryRunner.query(`TRUNCATE ${TABLES.join(', ')}`);
    await queryRunner.query(`
      CREATE TEMPORARY TABLE rollup_refold ON COMMIT DROP AS
      SELECT r.meter_id, r.parameter, r.ts, r.value, r.organization_id, s.timezone,
             r.quality IN ('good', 'estimated') AS included,
             CASE WHEN r.parameter IN ('energy_kwh', 'water_m3') AND r.quality IN ('good', 'estimated')
               THEN coalesce(c.consumption, 0) END AS consumption
      FROM readings r
      JOIN meters m ON m.id = r.meter_id
      JOIN sites s ON s.id = m.site_id
      LEFT JOIN (
        SELECT meter_id, parameter, ts,
               CASE WHEN prev IS NULL THEN 0 WHEN value >= prev THEN value - prev
                    WHEN value < prev * ${REFOLD_RESET_FRACTION} THEN value ELSE 0 END AS consumption
        FROM (SELECT meter_id, parameter, ts, value,
                     lag(value) OVER (PARTITION BY meter_id, parameter ORDER BY ts) AS prev
              FROM readings
              WHERE parameter IN ('energy_kwh', 'water_m3') AND quality IN ('good', 'estimated')) x
      ) c ON c.meter_id = r.meter_id AND c.parameter = r.parameter AND c.ts = r.ts`);
    await queryRunner.query(
      refold('reading_rollups_5m', 'to_timestamp(floor(extract(epoch FROM ts) / 300) * 300)'),
    );
    await queryRunner.query(
      refold('reading_rollups_1h', 'to_timestamp(floor(extract(epoch FROM ts) / 3600) * 3600)'),
    );
    await queryRunner.query(refold('reading_rollups_1d', '(ts AT TIME ZONE timezone)::date', true));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.query(`DELETE FROM ${table} WHERE count = 0`);
      for (const column of AGGREGATES) {
        await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN ${column} SET NOT NULL`);
      }
      await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN excluded_count`);
    }
  }
}
