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

/** A signed-in user making a request (the API's `RequestActor`). */
export interface UserActor {
  user: { id: string };
  ip: string | null;
}

export interface AuditEvent {
  organizationId: string | null;
  type: EventType;
  /** A signed-in user, another user or device by id (e.g. a failed login), or the system when absent. */
  actor?: UserActor | EventActor;
  subject?: { type: string; id: string };
  data?: Record<string, unknown>;
}

/** The one writer of the audit trail, for the API and the transport; the API's events module lists it. */
@Injectable()
export class EventRecorder {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(event: AuditEvent, manager: EntityManager = this.db.manager): Promise<void> {
    const actor = event.actor;
    await manager.insert(EventEntity, {
      organizationId: event.organizationId,
      type: event.type,
      actorType: !actor ? 'system' : 'user' in actor ? 'user' : actor.type,
      actorId: !actor ? null : 'user' in actor ? actor.user.id : actor.id,
      ip: actor?.ip ?? null,
      subjectType: event.subject?.type ?? null,
      subjectId: event.subject?.id ?? null,
      // TypeORM's insert typing cannot express arbitrary JSON; the column is jsonb.
      data: (event.data ?? {}) as object,
    });
  }
}
