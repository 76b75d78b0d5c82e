import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What became of a subscription's last report: queued, sent, skipped (and why) or failed. */
export class ReportSubscriptionLastRun1795780000001 implements MigrationInterface {
  name = 'ReportSubscriptionLastRun1795780000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "report_subscriptions" ADD "last_run_status" text');
    await queryRunner.query(
      'ALTER TABLE "report_subscriptions" ADD "last_run_at" TIMESTAMP WITH TIME ZONE',
    );
    await queryRunner.query('ALTER TABLE "report_subscriptions" ADD "last_run_reason" text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "report_subscriptions" DROP COLUMN "last_run_reason"');
    await queryRunner.query('ALTER TABLE "report_subscriptions" DROP COLUMN "last_run_at"');
    await queryRunner.query('ALTER TABLE "report_subscriptions" DROP COLUMN "last_run_status"');
  }
}
