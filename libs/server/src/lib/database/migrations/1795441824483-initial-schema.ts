import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795441824483 implements MigrationInterface {
  name = 'InitialSchema1795441824483';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "organizations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "settings" jsonb NOT NULL DEFAULT \'{}\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6b031fcd0863e3f6b44230163f9" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "device_credentials" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "owner_type" text NOT NULL, "owner_id" uuid NOT NULL, "device_id" text NOT NULL, "secret_sealed" text NOT NULL, "previous_secret_sealed" text, "previous_valid_until" TIMESTAMP WITH TIME ZONE, "rotated_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_96678b2954bc2c8d4d5be68f011" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "device_credentials_organization_id_idx" ON "device_credentials" ("organization_id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "device_credentials_active_device_id_key" ON "device_credentials" ("device_id") WHERE "revoked_at" IS NULL',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "device_credentials_active_owner_key" ON "device_credentials" ("owner_type", "owner_id") WHERE "revoked_at" IS NULL',
    );
    await queryRunner.query(
      'CREATE TABLE "events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid, "type" text NOT NULL, "actor_type" text NOT NULL, "actor_id" text, "subject_type" text, "subject_id" text, "ip" text, "data" jsonb NOT NULL DEFAULT \'{}\', "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_40731c7151fe4be3116e45ddf73" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "events_organization_id_occurred_at_idx" ON "events" ("organization_id", "occurred_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "sites" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "code" text NOT NULL, "name" text NOT NULL, "timezone" text NOT NULL, "address" text, "latitude" double precision, "longitude" double precision, "operating_hours" jsonb NOT NULL DEFAULT \'{}\', "tariff" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4f5eccb1dfde10c9170502595a7" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "sites_organization_id_code_key" ON "sites" ("organization_id", "code") ',
    );
    await queryRunner.query(
      'CREATE TABLE "gateways" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "site_id" uuid NOT NULL, "serial_number" text NOT NULL, "name" text NOT NULL, "protocol" text NOT NULL, "host" text, "port" integer, "poll_interval_seconds" integer NOT NULL DEFAULT \'1800\', "status" text NOT NULL DEFAULT \'unknown\', "last_seen_at" TIMESTAMP WITH TIME ZONE, "missed_pings" integer NOT NULL DEFAULT \'0\', "connection" jsonb NOT NULL DEFAULT \'{}\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b53153080a6907017cf44cb7f58" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "gateways_serial_number_key" ON "gateways" ("serial_number") ',
    );
    await queryRunner.query(
      'CREATE INDEX "gateways_organization_id_site_id_idx" ON "gateways" ("organization_id", "site_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "meters" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "site_id" uuid NOT NULL, "gateway_id" uuid, "name" text NOT NULL, "kind" text NOT NULL, "model" text, "firmware" text, "location" text, "tags" text array NOT NULL DEFAULT \'{}\', "metadata" jsonb NOT NULL DEFAULT \'{}\', "modbus_unit_id" integer, "register_map" jsonb, "range_overrides" jsonb NOT NULL DEFAULT \'{}\', "heartbeat_interval_seconds" integer NOT NULL DEFAULT \'1800\', "status" text NOT NULL DEFAULT \'offline\', "last_seen_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0a71b52dbb545fa36efaf070583" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "meters_gateway_id_idx" ON "meters" ("gateway_id") ');
    await queryRunner.query(
      'CREATE INDEX "meters_organization_id_site_id_idx" ON "meters" ("organization_id", "site_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "email" text NOT NULL, "name" text NOT NULL, "password_hash" text NOT NULL, "role" text NOT NULL, "disabled" boolean NOT NULL DEFAULT false, "last_login_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "users_email_key" ON "users" ("email") ');
    await queryRunner.query(
      'CREATE INDEX "users_organization_id_idx" ON "users" ("organization_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "refresh_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "family_id" uuid NOT NULL, "token_hash" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "replaced_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "refresh_tokens_user_id_idx" ON "refresh_tokens" ("user_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "refresh_tokens_family_id_idx" ON "refresh_tokens" ("family_id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "device_credentials" ADD CONSTRAINT "device_credentials_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "sites" ADD CONSTRAINT "sites_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "gateways" ADD CONSTRAINT "gateways_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "gateways" ADD CONSTRAINT "gateways_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "meters" ADD CONSTRAINT "meters_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "meters" ADD CONSTRAINT "meters_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "meters" ADD CONSTRAINT "meters_gateway_id_fkey" FOREIGN KEY ("gateway_id") REFERENCES "gateways"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "users" ADD CONSTRAINT "users_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "refresh_tokens" DROP CONSTRAINT "refresh_tokens_user_id_fkey"',
    );
    await queryRunner.query('ALTER TABLE "users" DROP CONSTRAINT "users_organization_id_fkey"');
    await queryRunner.query('ALTER TABLE "meters" DROP CONSTRAINT "meters_gateway_id_fkey"');
    await queryRunner.query('ALTER TABLE "meters" DROP CONSTRAINT "meters_site_id_fkey"');
    await queryRunner.query('ALTER TABLE "meters" DROP CONSTRAINT "meters_organization_id_fkey"');
    await queryRunner.query('ALTER TABLE "gateways" DROP CONSTRAINT "gateways_site_id_fkey"');
    await queryRunner.query(
      'ALTER TABLE "gateways" DROP CONSTRAINT "gateways_organization_id_fkey"',
    );
    await queryRunner.query('ALTER TABLE "sites" DROP CONSTRAINT "sites_organization_id_fkey"');
    await queryRunner.query(
      'ALTER TABLE "device_credentials" DROP CONSTRAINT "device_credentials_organization_id_fkey"',
    );
    await queryRunner.query('DROP INDEX "public"."refresh_tokens_family_id_idx"');
    await queryRunner.query('DROP INDEX "public"."refresh_tokens_user_id_idx"');
    await queryRunner.query('DROP TABLE "refresh_tokens"');
    await queryRunner.query('DROP INDEX "public"."users_organization_id_idx"');
    await queryRunner.query('DROP INDEX "public"."users_email_key"');
    await queryRunner.query('DROP TABLE "users"');
    await queryRunner.query('DROP INDEX "public"."meters_organization_id_site_id_idx"');
    await queryRunner.query('DROP INDEX "public"."meters_gateway_id_idx"');
    await queryRunner.query('DROP TABLE "meters"');
    await queryRunner.query('DROP INDEX "public"."gateways_organization_id_site_id_idx"');
    await queryRunner.query('DROP INDEX "public"."gateways_serial_number_key"');
    await queryRunner.query('DROP TABLE "gateways"');
    await queryRunner.query('DROP INDEX "public"."sites_organization_id_code_key"');
    await queryRunner.query('DROP TABLE "sites"');
    await queryRunner.query('DROP INDEX "public"."events_organization_id_occurred_at_idx"');
    await queryRunner.query('DROP TABLE "events"');
    await queryRunner.query('DROP INDEX "public"."device_credentials_active_owner_key"');
    await queryRunner.query('DROP INDEX "public"."device_credentials_active_device_id_key"');
    await queryRunner.query('DROP INDEX "public"."device_credentials_organization_id_idx"');
    await queryRunner.query('DROP TABLE "device_credentials"');
    await queryRunner.query('DROP TABLE "organizations"');
  }
}
