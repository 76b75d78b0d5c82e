import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** Ticket queries beyond one-liners: numbering and unread counts. */
@Injectable()
export class TicketsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The organization's next ticket number (1001 first), atomic under concurrent creation. */
  async nextNumber(manager: EntityManager, organizationId: string): Promise<number> {
    const [row] = (await manager.query(
      `INSERT INTO ticket_sequences (organization_id, last_number) VALUES ($1, 1001)
       ON CONFLICT (organization_id)
       DO UPDATE SET last_number = ticket_sequences.last_number + 1
       RETURNING last_number`,
      [organizationId],
    )) as Array<{ last_number: number }>;
    if (!row) throw new Error('ticket numbering returned nothing');
    return row.last_number;
  }

  /**
   * Per ticket, the messages `userId` can see (internal notes only with `withInternal`), written
   * by someone else, after the user's read marker.
   */
  async unreadCounts(
    userId: string,
    ticketIds: string[],
    withInternal: boolean,
  ): Promise<Map<string, number>> {
    if (ticketIds.length === 0) return new Map();
    const rows = (await this.db.query(
      `SELECT m.ticket_id, count(*)::int AS unread
       FROM ticket_messages m
       LEFT JOIN ticket_read_markers r ON r.ticket_id = m.ticket_id AND r.user_id = $1
       WHERE m.ticket_id = ANY($2::uuid[]) AND m.author_id <> $1
         AND ($3::boolean OR NOT m.internal)
         AND m.created_at > coalesce(r.read_at, '-infinity'::timestamptz)
       GROUP BY m.ticket_id`,
      [userId, ticketIds, withInternal],
    )) as Array<{ ticket_id: string; unread: number }>;
    return new Map(rows.map((row) => [row.ticket_id, row.unread]));
  }

  /** Moves the user's read marker forward to `at` (never back). */
  async markRead(ticketId: string, userId: string, at: Date): Promise<Date> {
    const [row] = (await this.db.query(
      `INSERT INTO ticket_read_markers (ticket_id, user_id, read_at) VALUES ($1, $2, $3)
       ON CONFLICT (ticket_id, user_id)
       DO UPDATE SET read_at = greatest(ticket_read_markers.read_at, EXCLUDED.read_at)
       RETURNING read_at`,
      [ticketId, userId, at],
    )) as Array<{ read_at: Date }>;
    return row?.read_at ?? at;
  }
}
