import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TicketsSupport1795750000000 implements MigrationInterface {
  name = 'TicketsSupport1795750000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "tickets" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "number" integer NOT NULL, "subject" text NOT NULL, "description" text NOT NULL DEFAULT \'\', "priority" text NOT NULL, "status" text NOT NULL DEFAULT \'open\', "creator_id" uuid NOT NULL, "assignee_id" uuid, "meter_id" uuid, "alert_id" uuid, "first_response_due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "resolution_due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "first_response_at" TIMESTAMP WITH TIME ZONE, "resolved_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_343bc942ae261cf7a1377f48fd0" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "tickets_meter_id_idx" ON "tickets" ("meter_id") ');
    await queryRunner.query('CREATE INDEX "tickets_assignee_id_idx" ON "tickets" ("assignee_id") ');
    await queryRunner.query(
      'CREATE INDEX "tickets_organization_id_status_idx" ON "tickets" ("organization_id", "status") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "tickets_organization_id_number_key" ON "tickets" ("organization_id", "number") ',
    );
    await queryRunner.query(
      'CREATE TABLE "ticket_messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "author_id" uuid NOT NULL, "body" text NOT NULL, "internal" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_37beb692dedf7eccb4e519ccec1" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ticket_messages_ticket_id_created_at_idx" ON "ticket_messages" ("ticket_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "ticket_attachments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "message_id" uuid NOT NULL, "file_name" text NOT NULL, "content_type" text NOT NULL, "size_bytes" integer NOT NULL, "sha256" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7e5011f87f95e78fe4bd7d982a3" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ticket_attachments_ticket_id_idx" ON "ticket_attachments" ("ticket_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "ticket_attachments_message_id_idx" ON "ticket_attachments" ("message_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "ticket_snapshots" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "meter_id" uuid NOT NULL, "version" integer NOT NULL, "document" jsonb NOT NULL, "size_bytes" integer NOT NULL, "captured_by" uuid NOT NULL, "captured_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_59f58020721fc2f5c6e874caae4" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "ticket_snapshots_ticket_id_version_key" ON "ticket_snapshots" ("ticket_id", "version") ',
    );
    await queryRunner.query(
      'CREATE TABLE "ticket_read_markers" ("ticket_id" uuid NOT NULL, "user_id" uuid NOT NULL, "read_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ticket_read_markers_pkey" PRIMARY KEY ("ticket_id", "user_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "ticket_sequences" ("organization_id" uuid NOT NULL, "last_number" integer NOT NULL, CONSTRAINT "ticket_sequences_pkey" PRIMARY KEY ("organization_id"))',
    );
    await queryRunner.query(
      'ALTER TABLE "tickets" ADD CONSTRAINT "tickets_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "tickets" ADD CONSTRAINT "tickets_creator_id_fkey" FOREIGN KEY ("creator_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "tickets" ADD CONSTRAINT "tickets_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "tickets" ADD CONSTRAINT "tickets_meter_id_fkey" FOREIGN KEY ("meter_id") REFERENCES "meters"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "ticket_messages" ADD CONSTRAINT "ticket_messages_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "ticket_messages" ADD CONSTRAINT "ticket_messages_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "ticket_attachments" ADD CONSTRAINT "ticket_attachments_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "ticket_messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "ticket_snapshots" ADD CONSTRAINT "ticket_snapshots_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "ticket_read_markers" ADD CONSTRAINT "ticket_read_markers_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "tickets"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "ticket_read_markers" ADD CONSTRAINT "ticket_read_markers_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "ticket_sequences" ADD CONSTRAINT "ticket_sequences_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "ticket_sequences" DROP CONSTRAINT "ticket_sequences_organization_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "ticket_read_markers" DROP CONSTRAINT "ticket_read_markers_user_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "ticket_read_markers" DROP CONSTRAINT "ticket_read_markers_ticket_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "ticket_snapshots" DROP CONSTRAINT "ticket_snapshots_ticket_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "ticket_attachments" DROP CONSTRAINT "ticket_attachments_message_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "ticket_messages" DROP CONSTRAINT "ticket_messages_author_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "ticket_messages" DROP CONSTRAINT "ticket_messages_ticket_id_fkey"',
    );
    await queryRunner.query('ALTER TABLE "tickets" DROP CONSTRAINT "tickets_meter_id_fkey"');
    await queryRunner.query('ALTER TABLE "tickets" DROP CONSTRAINT "tickets_assignee_id_fkey"');
    await queryRunner.query('ALTER TABLE "tickets" DROP CONSTRAINT "tickets_creator_id_fkey"');
    await queryRunner.query('ALTER TABLE "tickets" DROP CONSTRAINT "tickets_organization_id_fkey"');
    await queryRunner.query('DROP TABLE "ticket_sequences"');
    await queryRunner.query('DROP TABLE "ticket_read_markers"');
    await queryRunner.query('DROP INDEX "public"."ticket_snapshots_ticket_id_version_key"');
    await queryRunner.query('DROP TABLE "ticket_snapshots"');
    await queryRunner.query('DROP INDEX "public"."ticket_attachments_message_id_idx"');
    await queryRunner.query('DROP INDEX "public"."ticket_attachments_ticket_id_idx"');
    await queryRunner.query('DROP TABLE "ticket_attachments"');
    await queryRunner.query('DROP INDEX "public"."ticket_messages_ticket_id_created_at_idx"');
    await queryRunner.query('DROP TABLE "ticket_messages"');
    await queryRunner.query('DROP INDEX "public"."tickets_organization_id_number_key"');
    await queryRunner.query('DROP INDEX "public"."tickets_organization_id_status_idx"');
    await queryRunner.query('DROP INDEX "public"."tickets_assignee_id_idx"');
    await queryRunner.query('DROP INDEX "public"."tickets_meter_id_idx"');
    await queryRunner.query('DROP TABLE "tickets"');
  }
}
