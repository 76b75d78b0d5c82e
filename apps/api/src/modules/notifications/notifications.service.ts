import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { NotificationView, Page } from '@gridwatch/contracts';
import { NotFound, NotificationEntity } from '@gridwatch/server';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../common/keyset-cursor';
import type { ListNotificationsDto } from './dto/notification.dto';

/** The caller's own in-app notifications: another user's are never found. */
@Injectable()
export class NotificationsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(userId: string, query: ListNotificationsDto): Promise<Page<NotificationView>> {
    const after = query.cursor ? decodeKeysetCursor(query.cursor) : null;
    const filters = [userId, query.unread ?? null];
    const where = `WHERE user_id = $1 AND ($2::boolean IS NULL OR (read_at IS NULL) = $2)`;
    const [{ total }] = (await this.db.query(
      `SELECT count(*)::int AS total FROM notifications ${where}`,
      filters,
    )) as [{ total: number }];
    const rows = (await this.db.query(
      `SELECT * FROM notifications ${where}
         AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $5`,
      [...filters, after?.at ?? null, after?.id ?? null, query.limit + 1],
    )) as NotificationRow[];
    const items = rows.slice(0, query.limit).map(fromRow);
    const page: Page<NotificationView> = { items, total };
    const last = items[items.length - 1];
    if (rows.length > query.limit && last) {
      page.nextCursor = encodeKeysetCursor(last.createdAt, last.id);
    }
    return page;
  }

  async unreadCount(userId: string): Promise<{ unread: number }> {
    const [{ unread }] = (await this.db.query(
      'SELECT count(*)::int AS unread FROM notifications WHERE user_id = $1 AND read_at IS NULL',
      [userId],
    )) as [{ unread: number }];
    return { unread };
  }

  /** Idempotent: a read notification stays read at its first reading time. */
  async read(userId: string, id: string): Promise<NotificationView> {
    await this.db.query(
      'UPDATE notifications SET read_at = now() WHERE id = $1 AND user_id = $2 AND read_at IS NULL',
      [id, userId],
    );
    const notification = await this.db.manager.findOneBy(NotificationEntity, { id, userId });
    if (!notification) throw new NotFound('notification_not_found', 'Notification');
    return toNotificationView(notification);
  }

  async readAll(userId: string): Promise<{ marked: number }> {
    const [, marked] = (await this.db.query(
      'UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL',
      [userId],
    )) as [unknown[], number];
    return { marked };
  }
}

interface NotificationRow {
  id: string;
  alert_id: string | null;
  event: NotificationView['event'];
  title: string;
  body: string;
  severity: NotificationView['severity'];
  read_at: Date | null;
  created_at: Date;
}

function fromRow(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    alertId: row.alert_id,
    event: row.event,
    title: row.title,
    body: row.body,
    severity: row.severity,
    read: row.read_at !== null,
    createdAt: row.created_at.toISOString(),
  };
}

export function toNotificationView(notification: NotificationEntity): NotificationView {
  return {
    id: notification.id,
    alertId: notification.alertId,
    event: notification.event,
    title: notification.title,
    body: notification.body,
    severity: notification.severity,
    read: notification.readAt !== null,
    createdAt: notification.createdAt.toISOString(),
  };
}
