import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rollup step folds counter consumption incrementally: for each newly folded counter reading
 * it looks up its neighbours among the readings already folded, skipping those still waiting in
 * rollup_dirty. This index answers "is this counter reading still waiting?" by key. Counters
 * only (the parameters of COUNTER_PARAMETERS when it was written), so other readings' inserts
 * pay nothing for it.
 *
 * rollup_dirty is a queue: every row is deleted within seconds of its insert. PostgreSQL's
 * default (vacuum at 20 % dead rows, throttled) let a minute's load leave ~10^6 dead rows that
 * every index scan stepped over; vacuum it after every 10,000 dead rows, unthrottled.
 *
 * The rollup tables are updated in place many times per bucket while it is live (every rollup
 * step that folds a reading of it): with free room on each page (fillfactor 70) the updates are
 * HOT and pruned on the page, instead of adding an index entry and a dead row each time.
 */
const ROLLUP_TABLES = ['reading_rollups_5m', 'reading_rollups_1h', 'reading_rollups_1d'];

export class RollupDirtyCounterKey1795790000000 implements MigrationInterface {
  name = 'RollupDirtyCounterKey1795790000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX rollup_dirty_counter_key_idx ON rollup_dirty (meter_id, parameter, ts)
       WHERE parameter = ANY('{energy_kwh,water_m3}'::text[])`,
    );
    await queryRunner.query(
      `ALTER TABLE rollup_dirty SET (autovacuum_vacuum_scale_factor = 0,
         autovacuum_vacuum_threshold = 10000, autovacuum_vacuum_cost_delay = 0)`,
    );
    for (const table of ROLLUP_TABLES) {
      await queryRunner.query(`ALTER TABLE ${table} SET (fillfactor = 70)`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ROLLUP_TABLES) {
      await queryRunner.query(`ALTER TABLE ${table} RESET (fillfactor)`);
    }
    await queryRunner.query(
      `ALTER TABLE rollup_dirty RESET (autovacuum_vacuum_scale_factor,
         autovacuum_vacuum_threshold, autovacuum_vacuum_cost_delay)`,
    );
    await queryRunner.query('DROP INDEX rollup_dirty_counter_key_idx');
  }
}
