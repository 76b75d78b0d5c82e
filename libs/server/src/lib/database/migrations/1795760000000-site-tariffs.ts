import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tariff documents per site, appended on every change (analytics issue). */
export class SiteTariffs1795760000000 implements MigrationInterface {
  name = 'SiteTariffs1795760000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "site_tariffs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "site_id" uuid NOT NULL, "document" jsonb NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "site_tariffs_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "site_tariffs_site_id_created_at_idx" ON "site_tariffs" ("site_id", "created_at") ',
    );
    await queryRunner.query(
      'ALTER TABLE "site_tariffs" ADD CONSTRAINT "site_tariffs_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "site_tariffs" DROP CONSTRAINT "site_tariffs_site_id_fkey"',
    );
    await queryRunner.query('DROP INDEX "public"."site_tariffs_site_id_created_at_idx"');
    await queryRunner.query('DROP TABLE "site_tariffs"');
  }
}
