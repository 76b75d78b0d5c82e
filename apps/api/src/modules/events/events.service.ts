import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { EventType, EventView, Page } from '@gridwatch/contracts';
import { EventEntity, ValidationFailed } from '@gridwatch/server';
import type { RequestActor } from '../auth/authenticated-user';
import type { ListEventsDto } from './dto/list-events.dto';

export interface RecordEvent {
  organizationId: string | null;
  type: EventType;
  /** A signed-in user, another user or device by id (e.g. a failed login), or the system when absent. */
  actor?: RequestActor | { type: 'user' | 'device'; id: string | null; ip: string | null };
  subject?: { type: string; id: string };
  data?: Record<string, unknown>;
}

/** The append-only audit trail: written by services, read through GET /events. */
@Injectable()
export class EventsService {
  constructor(@InjectRepository(EventEntity) private readonly events: Repository<EventEntity>) {}

  async record(event: RecordEvent): Promise<void> {
    const actor = event.actor;
    await this.events.insert({
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

  async list(organizationId: string, query: ListEventsDto): Promise<Page<EventView>> {
    const qb = this.events
      .createQueryBuilder('event')
      .where('event.organization_id = :organizationId', { organizationId });
    if (query.type) qb.andWhere('event.type IN (:...types)', { types: query.type.split(',') });
    if (query.actorId) qb.andWhere('event.actor_id = :actorId', { actorId: query.actorId });
    if (query.subjectType) qb.andWhere('event.subject_type = :st', { st: query.subjectType });
    if (query.subjectId) qb.andWhere('event.subject_id = :sid', { sid: query.subjectId });
    if (query.from) qb.andWhere('event.occurred_at >= :from', { from: query.from });
    if (query.to) qb.andWhere('event.occurred_at < :to', { to: query.to });
    const total = await qb.getCount();
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor);
      qb.andWhere('(event.occurred_at, event.id) < (:at, :id)', { at, id });
    }
    const rows = await qb
      .orderBy('event.occurred_at', 'DESC')
      .addOrderBy('event.id', 'DESC')
      .take(query.limit + 1)
      .getMany();
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    const page: Page<EventView> = { items: items.map(toView), total };
    if (rows.length > query.limit && last) page.nextCursor = encodeCursor(last);
    return page;
  }
}

function toView(event: EventEntity): EventView {
  return {
    id: event.id,
    type: event.type,
    actorType: event.actorType,
    actorId: event.actorId,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    ip: event.ip,
    data: event.data,
    occurredAt: event.occurredAt.toISOString(),
  };
}

function encodeCursor(event: EventEntity): string {
  return Buffer.from(`${event.occurredAt.toISOString()}|${event.id}`).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!at || !id || Number.isNaN(Date.parse(at))) {
    throw new ValidationFailed('Invalid cursor', [
      { field: 'cursor', messages: ['cursor is not valid'] },
    ]);
  }
  return [at, id];
}
