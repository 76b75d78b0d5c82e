import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rollup step folds counter consumption incrementally: for each newly folded counter reading
 * it looks up its neighbours among the readings already folded, skipping those still waiting in
 * rollup_dirty. This index answers "is this counter reading still waiting?" by key. Counters
 * only (the parameters of COUNTER_PARAMETERS when it was written), so other readings' inserts
 * pay nothing for it.
 */
export class RollupDirtyCounterKey1795790000000 implements MigrationInterface {
  name = 'RollupDirtyCounterKey1795790000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX rollup_dirty_counter_key_idx ON rollup_dirty (meter_id, parameter, ts)
       WHERE parameter = ANY('{energy_kwh,water_m3}'::text[])`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX rollup_dirty_counter_key_idx');
  }
}
