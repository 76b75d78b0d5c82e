import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alert rules, alerts (one open per rule and meter: a partial unique index), their timeline,
 * rule memory between jobs, in-app notifications and the delivery log.
 */
export class Alerts1795700000000 implements MigrationInterface {
  name = 'Alerts1795700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "alert_rules" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "name" text NOT NULL, "site_id" uuid, "meter_id" uuid, "parameter" text, "condition" text NOT NULL, "threshold" double precision, "duration_seconds" integer NOT NULL DEFAULT \'0\', "cooldown_seconds" integer NOT NULL DEFAULT \'0\', "severity" text NOT NULL, "channels" jsonb NOT NULL DEFAULT \'[]\', "recipients" jsonb NOT NULL DEFAULT \'{}\', "webhook_secret_sealed" text, "auto_resolve" boolean NOT NULL DEFAULT true, "escalation" jsonb, "repeat_minutes" integer, "schedule" text NOT NULL DEFAULT \'always\', "enabled" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ae580564f087ffab9d229225aec" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "alert_rules_organization_id_idx" ON "alert_rules" ("organization_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "alerts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "rule_id" uuid, "meter_id" uuid NOT NULL, "site_id" uuid NOT NULL, "rule_name" text NOT NULL, "condition" text NOT NULL, "parameter" text, "threshold" double precision, "severity" text NOT NULL, "status" text NOT NULL DEFAULT \'active\', "title" text NOT NULL, "message" text NOT NULL, "first_value" double precision, "last_value" double precision, "occurrences" integer NOT NULL DEFAULT \'1\', "escalation_level" integer NOT NULL DEFAULT \'0\', "triggered_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_triggered_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_escalated_at" TIMESTAMP WITH TIME ZONE, "last_notified_at" TIMESTAMP WITH TIME ZONE, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "acknowledged_by" uuid, "acknowledge_note" text, "resolved_at" TIMESTAMP WITH TIME ZONE, "resolved_by" uuid, "resolution" text, "resolve_note" text, CONSTRAINT "PK_60f895662df096bfcdfab7f4b96" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "alerts_organization_id_triggered_at_idx" ON "alerts" ("organization_id", "triggered_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "alerts_rule_id_meter_id_idx" ON "alerts" ("rule_id", "meter_id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "alerts_open_rule_meter_key" ON "alerts" ("rule_id", "meter_id") WHERE "status" <> \'resolved\'',
    );
    await queryRunner.query(
      'CREATE TABLE "alert_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "alert_id" uuid NOT NULL, "kind" text NOT NULL, "user_id" uuid, "data" jsonb NOT NULL DEFAULT \'{}\', "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f8dd833a0534d3a01e8d01e3bca" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "alert_events_alert_id_at_idx" ON "alert_events" ("alert_id", "at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "alert_rule_states" ("rule_id" uuid NOT NULL, "meter_id" uuid NOT NULL, "breach_since" TIMESTAMP WITH TIME ZONE, "last_ts" TIMESTAMP WITH TIME ZONE, "last_value" double precision, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_757c751d915abd78c5986cb6498" PRIMARY KEY ("rule_id", "meter_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "notification_deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "alert_id" uuid NOT NULL, "fan_out_id" text NOT NULL, "channel" text NOT NULL, "event" text NOT NULL, "target" text NOT NULL, "status" text NOT NULL DEFAULT \'pending\', "attempts" integer NOT NULL DEFAULT \'0\', "error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "delivered_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_81daeff81f237bd384f7cfc4a4c" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "notification_deliveries_fan_out_key" ON "notification_deliveries" ("fan_out_id", "channel", "target") ',
    );
    await queryRunner.query(
      'CREATE INDEX "notification_deliveries_alert_id_idx" ON "notification_deliveries" ("alert_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "notifications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "user_id" uuid NOT NULL, "alert_id" uuid, "delivery_id" uuid, "event" text NOT NULL, "title" text NOT NULL, "body" text NOT NULL, "severity" text NOT NULL, "read_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "notifications_delivery_id_key" ON "notifications" ("delivery_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "notifications_user_id_created_at_idx" ON "notifications" ("user_id", "created_at") ',
    );
    await queryRunner.query(
      'ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_meter_id_fkey" FOREIGN KEY ("meter_id") REFERENCES "meters"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "alerts" ADD CONSTRAINT "alerts_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "alerts" ADD CONSTRAINT "alerts_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rules"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "alerts" ADD CONSTRAINT "alerts_meter_id_fkey" FOREIGN KEY ("meter_id") REFERENCES "meters"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "alerts" ADD CONSTRAINT "alerts_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "alert_rule_states" ADD CONSTRAINT "alert_rule_states_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rules"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "alert_rule_states" ADD CONSTRAINT "alert_rule_states_meter_id_fkey" FOREIGN KEY ("meter_id") REFERENCES "meters"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "notifications" ADD CONSTRAINT "notifications_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "notifications" DROP CONSTRAINT "notifications_alert_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "notifications" DROP CONSTRAINT "notifications_user_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "notification_deliveries" DROP CONSTRAINT "notification_deliveries_alert_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "alert_rule_states" DROP CONSTRAINT "alert_rule_states_meter_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "alert_rule_states" DROP CONSTRAINT "alert_rule_states_rule_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "alert_events" DROP CONSTRAINT "alert_events_alert_id_fkey"',
    );
    await queryRunner.query('ALTER TABLE "alerts" DROP CONSTRAINT "alerts_site_id_fkey"');
    await queryRunner.query('ALTER TABLE "alerts" DROP CONSTRAINT "alerts_meter_id_fkey"');
    await queryRunner.query('ALTER TABLE "alerts" DROP CONSTRAINT "alerts_rule_id_fkey"');
    await queryRunner.query('ALTER TABLE "alerts" DROP CONSTRAINT "alerts_organization_id_fkey"');
    await queryRunner.query(
      'ALTER TABLE "alert_rules" DROP CONSTRAINT "alert_rules_meter_id_fkey"',
    );
    await queryRunner.query('ALTER TABLE "alert_rules" DROP CONSTRAINT "alert_rules_site_id_fkey"');
    await queryRunner.query(
      'ALTER TABLE "alert_rules" DROP CONSTRAINT "alert_rules_organization_id_fkey"',
    );
    await queryRunner.query('DROP INDEX "public"."notifications_user_id_created_at_idx"');
    await queryRunner.query('DROP INDEX "public"."notifications_delivery_id_key"');
    await queryRunner.query('DROP TABLE "notifications"');
    await queryRunner.query('DROP INDEX "public"."notification_deliveries_alert_id_idx"');
    await queryRunner.query('DROP INDEX "public"."notification_deliveries_fan_out_key"');
    await queryRunner.query('DROP TABLE "notification_deliveries"');
    await queryRunner.query('DROP TABLE "alert_rule_states"');
    await queryRunner.query('DROP INDEX "public"."alert_events_alert_id_at_idx"');
    await queryRunner.query('DROP TABLE "alert_events"');
    await queryRunner.query('DROP INDEX "public"."alerts_open_rule_meter_key"');
    await queryRunner.query('DROP INDEX "public"."alerts_rule_id_meter_id_idx"');
    await queryRunner.query('DROP INDEX "public"."alerts_organization_id_triggered_at_idx"');
    await queryRunner.query('DROP TABLE "alerts"');
    await queryRunner.query('DROP INDEX "public"."alert_rules_organization_id_idx"');
    await queryRunner.query('DROP TABLE "alert_rules"');
  }
}
