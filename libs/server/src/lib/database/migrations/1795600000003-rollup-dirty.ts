import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Readings stored but not yet folded into their rollups: each ingest job appends a copy of the
 * rows it inserted, in the statement that inserts them; the rollup step takes a batch, merges it
 * into the rollup tables and deletes it in one transaction, so each reading is folded once.
 * Append-only (no unique key), so concurrent jobs never wait on each other here. marked_at orders
 * the step's batches and gives the lag (gridwatch_rollup_lag_seconds).
 */
export class RollupDirty1795600000003 implements MigrationInterface {
  name = 'RollupDirty1795600000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE rollup_dirty (
        meter_id uuid NOT NULL,
        parameter text NOT NULL,
        ts timestamptz NOT NULL,
        value double precision NOT NULL,
        quality text NOT NULL,
        marked_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX rollup_dirty_marked_at_idx ON rollup_dirty (marked_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rollup_dirty`);
  }
}
