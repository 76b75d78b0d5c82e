import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The (meter, parameter, 5-minute bucket) keys whose rollups are behind raw: each ingest job
 * appends the keys it inserted readings into, in its own transaction; the rollup step takes a
 * batch, recomputes those buckets from raw and deletes the keys in one transaction. Append-only
 * (no unique key), so concurrent jobs never wait on each other here; the step deduplicates.
 */
export class RollupDirty1795600000003 implements MigrationInterface {
  name = 'RollupDirty1795600000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE rollup_dirty (
        meter_id uuid NOT NULL,
        parameter text NOT NULL,
        bucket timestamptz NOT NULL,
        marked_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX rollup_dirty_marked_at_idx ON rollup_dirty (marked_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rollup_dirty`);
  }
}
