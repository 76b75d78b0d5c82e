import type { MigrationInterface, QueryRunner } from 'typeorm';

// Open issues grouped by what makes them one: meter (or, for a gateway's own, gateway), kind, parameter.
const RANKED = `
  SELECT id,
         first_value(id) OVER same AS keeper,
         row_number() OVER same AS rank,
         sum(coalesce((details->>'count')::int, 1)) OVER (PARTITION BY meter_id,
           CASE WHEN meter_id IS NULL THEN gateway_id END, kind, coalesce(parameter, '')) AS total,
         count(*) OVER (PARTITION BY meter_id,
           CASE WHEN meter_id IS NULL THEN gateway_id END, kind, coalesce(parameter, '')) AS copies
  FROM data_quality_issues
  WHERE resolved_at IS NULL
  WINDOW same AS (PARTITION BY meter_id, CASE WHEN meter_id IS NULL THEN gateway_id END, kind,
                  coalesce(parameter, '') ORDER BY detected_at, id)`;

/**
 * One open data quality issue per meter, kind and parameter (per gateway for a gateway's own).
 * Duplicates that two racing writers may have opened are merged first: the oldest keeps the
 * summed count, the others are resolved and point to it.
 */
export class DataQualityOpenIssueKeys1795600000001 implements MigrationInterface {
  name = 'DataQualityOpenIssueKeys1795600000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE data_quality_issues d
      SET details = d.details || jsonb_build_object('count', r.total)
      FROM (${RANKED}) r
      WHERE d.id = r.id AND r.rank = 1 AND r.copies > 1`);
    await queryRunner.query(`
      UPDATE data_quality_issues d
      SET resolved_at = now(), details = d.details || jsonb_build_object('mergedInto', r.keeper)
      FROM (${RANKED}) r
      WHERE d.id = r.id AND r.rank > 1`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX data_quality_issues_open_meter_key
      ON data_quality_issues (meter_id, kind, (coalesce(parameter, '')))
      WHERE resolved_at IS NULL AND meter_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX data_quality_issues_open_gateway_key
      ON data_quality_issues (gateway_id, kind, (coalesce(parameter, '')))
      WHERE resolved_at IS NULL AND meter_id IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX data_quality_issues_open_gateway_key`);
    await queryRunner.query(`DROP INDEX data_quality_issues_open_meter_key`);
  }
}
