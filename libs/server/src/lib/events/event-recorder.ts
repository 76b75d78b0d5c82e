import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { EventType } from '@gridwatch/contracts';
import { EventEntity } from '../database/entities';

export interface EventActor {
  type: 'user' | 'device' | 'system';
  id: string | null;
  ip: string | null;
}

export interface AuditEvent {
  organizationId: string | null;
  type: EventType;
  actor?: EventActor;
  subject?: { type: string; id: string };
  data?: Record<string, unknown>;
}

/** Appends to the audit trail; shared by the API and the transport. */
@Injectable()
export class EventRecorder {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(event: AuditEvent, manager: EntityManager = this.db.manager): Promise<void> {
    await manager.insert(EventEntity, {
      organizationId: event.organizationId,
      type: event.type,
      actorType: event.actor?.type ?? 'system',
      actorId: event.actor?.id ?? null,
      ip: event.actor?.ip ?? null,
      subjectType: event.subject?.type ?? null,
      subjectId: event.subject?.id ?? null,
      // TypeORM's insert typing cannot express arbitrary JSON; the column is jsonb.
      data: (event.data ?? {}) as object,
    });
  }
}
