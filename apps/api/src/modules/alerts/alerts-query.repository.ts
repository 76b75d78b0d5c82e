import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  ALERT_SEVERITIES,
  ALERT_STATUSES,
  type AlertCounts,
  type AlertTimelineEntry,
  type AlertView,
  type NotificationDeliveryView,
} from '@gridwatch/contracts';
import { ALERT_VIEW_SQL, type AlertRow, toAlertView } from './alert-view';
import type { AlertFiltersDto } from './dto/alert.dto';

/** $1 organization; $2.. the filters; status and severity last, so counts can leave them out. */
const FILTERS = `
  WHERE a.organization_id = $1
    AND ($2::uuid IS NULL OR a.site_id = $2)
    AND ($3::uuid IS NULL OR a.meter_id = $3)
    AND ($4::uuid IS NULL OR a.rule_id = $4)
    AND ($5::timestamptz IS NULL OR a.triggered_at >= $5)
    AND ($6::timestamptz IS NULL OR a.triggered_at < $6)`;
const STATUS_SEVERITY = `
    AND ($7::text IS NULL OR a.status = $7)
    AND ($8::text IS NULL OR a.severity = $8)`;

/** Reads of alerts for the lifecycle API, always inside one organization. */
@Injectable()
export class AlertsQueryRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Newest first, keyset-paginated on (triggered_at, id). */
  async page(
    organizationId: string,
    filters: AlertFiltersDto,
    limit: number,
    after: { at: string; id: string } | null,
  ): Promise<{ items: AlertView[]; total: number; more: boolean }> {
    const params = this.params(organizationId, filters);
    const [{ total }] = (await this.db.query(
      `SELECT count(*)::int AS total FROM alerts a ${FILTERS} ${STATUS_SEVERITY}`,
      params,
    )) as [{ total: number }];
    const rows = (await this.db.query(
      `${ALERT_VIEW_SQL} ${FILTERS} ${STATUS_SEVERITY}
         AND ($9::timestamptz IS NULL OR (a.triggered_at, a.id) < ($9::timestamptz, $10::uuid))
       ORDER BY a.triggered_at DESC, a.id DESC LIMIT $11`,
      [...params, after?.at ?? null, after?.id ?? null, limit + 1],
    )) as AlertRow[];
    return { items: rows.slice(0, limit).map(toAlertView), total, more: rows.length > limit };
  }

  async counts(organizationId: string, filters: AlertFiltersDto): Promise<AlertCounts> {
    const rows = (await this.db.query(
      `SELECT a.status, a.severity, count(*)::int AS count FROM alerts a ${FILTERS}
       GROUP BY a.status, a.severity`,
      this.params(organizationId, filters).slice(0, 6),
    )) as Array<{ status: string; severity: string; count: number }>;
    const byStatus = Object.fromEntries(
      ALERT_STATUSES.map((s) => [s, 0]),
    ) as AlertCounts['byStatus'];
    const bySeverity = Object.fromEntries(
      ALERT_SEVERITIES.map((s) => [s, 0]),
    ) as AlertCounts['bySeverity'];
    for (const row of rows) {
      byStatus[row.status as keyof typeof byStatus] += row.count;
      bySeverity[row.severity as keyof typeof bySeverity] += row.count;
    }
    return { byStatus, bySeverity };
  }

  async find(organizationId: string, id: string): Promise<AlertView | null> {
    const [row] = (await this.db.query(
      `${ALERT_VIEW_SQL} WHERE a.organization_id = $1 AND a.id = $2`,
      [organizationId, id],
    )) as AlertRow[];
    return row ? toAlertView(row) : null;
  }

  async timeline(alertId: string): Promise<AlertTimelineEntry[]> {
    const rows = (await this.db.query(
      `SELECT kind, at, user_id, data FROM alert_events WHERE alert_id = $1 ORDER BY at, id`,
      [alertId],
    )) as Array<{
      kind: AlertTimelineEntry['kind'];
      at: Date;
      user_id: string | null;
      data: Record<string, unknown>;
    }>;
    return rows.map((row) => ({
      kind: row.kind,
      at: row.at.toISOString(),
      userId: row.user_id,
      data: row.data,
    }));
  }

  async deliveries(alertId: string): Promise<NotificationDeliveryView[]> {
    const rows = (await this.db.query(
      `SELECT * FROM notification_deliveries WHERE alert_id = $1 ORDER BY created_at, id`,
      [alertId],
    )) as Array<{
      id: string;
      channel: NotificationDeliveryView['channel'];
      event: NotificationDeliveryView['event'];
      target: string;
      status: NotificationDeliveryView['status'];
      attempts: number;
      error: string | null;
      created_at: Date;
      delivered_at: Date | null;
    }>;
    return rows.map((row) => ({
      id: row.id,
      channel: row.channel,
      event: row.event,
      target: row.target,
      status: row.status,
      attempts: row.attempts,
      error: row.error,
      createdAt: row.created_at.toISOString(),
      deliveredAt: row.delivered_at?.toISOString() ?? null,
    }));
  }

  /**
   * Moves the organization's alerts among `ids` that are in one of `from` to `to`, in one
   * guarded UPDATE (a racing move cannot apply twice); answers the ids that moved.
   */
  async move(
    organizationId: string,
    ids: string[],
    to: 'acknowledged' | 'resolved',
    by: { userId: string; note: string | null; at: Date },
  ): Promise<string[]> {
    const sql =
      to === 'acknowledged'
        ? `UPDATE alerts SET status = 'acknowledged', acknowledged_at = $3, acknowledged_by = $4,
             acknowledge_note = $5
           WHERE organization_id = $1 AND id = ANY($2::uuid[]) AND status = 'active'
           RETURNING id`
        : `UPDATE alerts SET status = 'resolved', resolved_at = $3, resolved_by = $4,
             resolve_note = $5, resolution = 'manual'
           WHERE organization_id = $1 AND id = ANY($2::uuid[]) AND status <> 'resolved'
           RETURNING id`;
    const [rows] = (await this.db.query(sql, [organizationId, ids, by.at, by.userId, by.note])) as [
      Array<{ id: string }>,
      number,
    ];
    return rows.map((row) => row.id);
  }

  private params(organizationId: string, filters: AlertFiltersDto): unknown[] {
    return [
      organizationId,
      filters.siteId ?? null,
      filters.meterId ?? null,
      filters.ruleId ?? null,
      filters.from ?? null,
      filters.to ?? null,
      filters.status ?? null,
      filters.severity ?? null,
    ];
  }
}
