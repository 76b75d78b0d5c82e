import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tickets opened from an alert: a foreign key to the alert and at most one ticket per alert. */
export class TicketAlertLink1795770000000 implements MigrationInterface {
  name = 'TicketAlertLink1795770000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE UNIQUE INDEX "tickets_alert_id_key" ON "tickets" ("alert_id") WHERE "alert_id" IS NOT NULL',
    );
    await queryRunner.query(
      'ALTER TABLE "tickets" ADD CONSTRAINT "tickets_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "tickets" DROP CONSTRAINT "tickets_alert_id_fkey"');
    await queryRunner.query('DROP INDEX "public"."tickets_alert_id_key"');
  }
}
