import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The readings of a batch that the database refused, parked with their reason. */
export class IngestBatchFailures1795600000000 implements MigrationInterface {
  name = 'IngestBatchFailures1795600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "ingest_batches" ADD "failures" jsonb NOT NULL DEFAULT '[]'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ingest_batches" DROP COLUMN "failures"`);
  }
}
