import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { EventView, Page } from '@gridwatch/contracts';
import { EventEntity, ValidationFailed } from '@gridwatch/server';
import type { ListEventsDto } from './dto/list-events.dto';

/** Reads the audit trail for GET /events; `EventRecorder` (libs/server) is its one writer. */
@Injectable()
export class EventsService {
  constructor(@InjectRepository(EventEntity) private readonly events: Repository<EventEntity>) {}

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
