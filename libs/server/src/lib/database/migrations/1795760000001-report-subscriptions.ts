import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Scheduled site reports by e-mail (analytics issue). */
export class ReportSubscriptions1795760000001 implements MigrationInterface {
  name = 'ReportSubscriptions1795760000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "report_subscriptions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "site_id" uuid NOT NULL, "period" text NOT NULL, "recipients" text array NOT NULL, "last_period_start" TIMESTAMP WITH TIME ZONE, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "report_subscriptions_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "report_subscriptions_site_id_idx" ON "report_subscriptions" ("site_id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "report_subscriptions" ADD CONSTRAINT "report_subscriptions_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "report_subscriptions" DROP CONSTRAINT "report_subscriptions_site_id_fkey"',
    );
    await queryRunner.query('DROP INDEX "public"."report_subscriptions_site_id_idx"');
    await queryRunner.query('DROP TABLE "report_subscriptions"');
  }
}
