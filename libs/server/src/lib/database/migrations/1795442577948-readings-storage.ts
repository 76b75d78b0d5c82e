import type { MigrationInterface, QueryRunner } from 'typeorm';

const ROLLUP_COLUMNS = `
  organization_id uuid NOT NULL,
  count integer NOT NULL,
  sum double precision NOT NULL,
  min double precision NOT NULL,
  max double precision NOT NULL,
  first_ts timestamptz NOT NULL,
  first_value double precision NOT NULL,
  last_ts timestamptz NOT NULL,
  last_value double precision NOT NULL,
  consumption double precision,
  updated_at timestamptz NOT NULL DEFAULT now()`;

/**
 * Time series storage, written by hand because TypeORM cannot describe partitioned tables:
 * raw readings range-partitioned by day (a DEFAULT partition catches anything a maintenance run
 * has not created a partition for yet, so an insert never fails), and exact rollups.
 */
export class ReadingsStorage1795442577948 implements MigrationInterface {
  name = 'ReadingsStorage1795442577948';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE readings (
        meter_id uuid NOT NULL REFERENCES meters (id) ON DELETE CASCADE,
        parameter text NOT NULL,
        ts timestamptz NOT NULL,
        value double precision NOT NULL,
        unit text NOT NULL,
        quality text NOT NULL,
        source text NOT NULL,
        organization_id uuid NOT NULL,
        gateway_id uuid,
        batch_id uuid,
        received_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT readings_pkey PRIMARY KEY (meter_id, parameter, ts)
      ) PARTITION BY RANGE (ts)`);
    await queryRunner.query(`CREATE TABLE readings_default PARTITION OF readings DEFAULT`);
    await queryRunner.query(`
      CREATE TABLE reading_rollups_5m (
        meter_id uuid NOT NULL REFERENCES meters (id) ON DELETE CASCADE,
        parameter text NOT NULL,
        bucket timestamptz NOT NULL,${ROLLUP_COLUMNS},
        CONSTRAINT reading_rollups_5m_pkey PRIMARY KEY (meter_id, parameter, bucket)
      )`);
    await queryRunner.query(`
      CREATE TABLE reading_rollups_1h (
        meter_id uuid NOT NULL REFERENCES meters (id) ON DELETE CASCADE,
        parameter text NOT NULL,
        bucket timestamptz NOT NULL,${ROLLUP_COLUMNS},
        CONSTRAINT reading_rollups_1h_pkey PRIMARY KEY (meter_id, parameter, bucket)
      )`);
    await queryRunner.query(`
      CREATE TABLE reading_rollups_1d (
        meter_id uuid NOT NULL REFERENCES meters (id) ON DELETE CASCADE,
        parameter text NOT NULL,
        day date NOT NULL,
        bucket timestamptz NOT NULL,${ROLLUP_COLUMNS},
        CONSTRAINT reading_rollups_1d_pkey PRIMARY KEY (meter_id, parameter, day)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reading_rollups_1d`);
    await queryRunner.query(`DROP TABLE reading_rollups_1h`);
    await queryRunner.query(`DROP TABLE reading_rollups_5m`);
    await queryRunner.query(`DROP TABLE readings`);
  }
}
