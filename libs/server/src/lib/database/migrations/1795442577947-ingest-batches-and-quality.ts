import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IngestBatchesAndQuality1795442577947 implements MigrationInterface {
  name = 'IngestBatchesAndQuality1795442577947';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "data_quality_issues" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "meter_id" uuid, "gateway_id" uuid, "kind" text NOT NULL, "severity" text NOT NULL DEFAULT \'warning\', "parameter" text, "message" text NOT NULL, "details" jsonb NOT NULL DEFAULT \'{}\', "detected_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "resolved_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_225a3c200e9d045d97876354194" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "data_quality_issues_meter_id_kind_idx" ON "data_quality_issues" ("meter_id", "kind") ',
    );
    await queryRunner.query(
      'CREATE INDEX "data_quality_issues_organization_id_detected_at_idx" ON "data_quality_issues" ("organization_id", "detected_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "ingest_batches" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "gateway_id" uuid, "source" text NOT NULL, "status" text NOT NULL DEFAULT \'queued\', "accepted" integer NOT NULL, "rejected" integer NOT NULL DEFAULT \'0\', "processed" integer NOT NULL DEFAULT \'0\', "duplicates" integer NOT NULL DEFAULT \'0\', "failed" integer NOT NULL DEFAULT \'0\', "error" text, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "processed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_184779a7b0f00cff933f3121f38" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ingest_batches_organization_id_received_at_idx" ON "ingest_batches" ("organization_id", "received_at") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ingest_batches_organization_id_received_at_idx"');
    await queryRunner.query('DROP TABLE "ingest_batches"');
    await queryRunner.query(
      'DROP INDEX "public"."data_quality_issues_organization_id_detected_at_idx"',
    );
    await queryRunner.query('DROP INDEX "public"."data_quality_issues_meter_id_kind_idx"');
    await queryRunner.query('DROP TABLE "data_quality_issues"');
  }
}
