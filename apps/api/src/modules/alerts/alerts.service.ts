import { once } from 'node:events';
import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';
import {
  AlertStatus,
  type AlertDetailView,
  type AlertPage,
  type AlertView,
  type BulkAcknowledgeResult,
} from '@gridwatch/contracts';
import { allowedAlertTransitions } from '@gridwatch/domain';
import { Conflict, NotFound } from '@gridwatch/server';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../common/keyset-cursor';
import type { RequestActor } from '../auth/authenticated-user';
import { AlertAnnouncer } from './alert-announcer';
import { AlertClock } from './alert-clock';
import { AlertsQueryRepository } from './alerts-query.repository';
import type { AlertFiltersDto, ListAlertsDto } from './dto/alert.dto';

const EXPORT_CHUNK = 1000;
const CSV_COLUMNS: Array<keyof AlertView> = [
  'id',
  'triggeredAt',
  'status',
  'severity',
  'ruleName',
  'ruleId',
  'meterName',
  'meterId',
  'siteId',
  'condition',
  'parameter',
  'threshold',
  'firstValue',
  'lastValue',
  'occurrences',
  'escalationLevel',
  'lastTriggeredAt',
  'acknowledgedAt',
  'acknowledgedBy',
  'acknowledgeNote',
  'resolvedAt',
  'resolvedBy',
  'resolution',
  'resolveNote',
  'title',
  'message',
];

/** The alert lifecycle: listing, history export, acknowledge and resolve. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly alerts: AlertsQueryRepository,
    private readonly announcer: AlertAnnouncer,
    private readonly clock: AlertClock,
  ) {}

  async list(organizationId: string, query: ListAlertsDto): Promise<AlertPage> {
    const after = query.cursor ? decodeKeysetCursor(query.cursor) : null;
    const [{ items, total, more }, counts] = await Promise.all([
      this.alerts.page(organizationId, query, query.limit, after),
      this.alerts.counts(organizationId, query),
    ]);
    const page: AlertPage = { items, total, counts };
    const last = items[items.length - 1];
    if (more && last) page.nextCursor = encodeKeysetCursor(last.triggeredAt, last.id);
    return page;
  }

  /** How many alerts were raised at a site in [from, to) (a report's figure). */
  async raisedAt(organizationId: string, siteId: string, from: Date, to: Date): Promise<number> {
    const counts = await this.alerts.counts(organizationId, {
      siteId,
      from: from.toISOString(),
      to: to.toISOString(),
    });
    return Object.values(counts.bySeverity).reduce((sum, count) => sum + count, 0);
  }

  async get(organizationId: string, id: string): Promise<AlertDetailView> {
    const alert = await this.find(organizationId, id);
    const [timeline, deliveries] = await Promise.all([
      this.alerts.timeline(id),
      this.alerts.deliveries(id),
    ]);
    return { ...alert, timeline, deliveries };
  }

  acknowledge(actor: RequestActor, id: string, note?: string): Promise<AlertView> {
    return this.move(actor, id, AlertStatus.Acknowledged, note);
  }

  resolve(actor: RequestActor, id: string, note?: string): Promise<AlertView> {
    return this.move(actor, id, AlertStatus.Resolved, note);
  }

  /** Acknowledges the active ones among `ids`; the others are answered as skipped. */
  async acknowledgeMany(
    actor: RequestActor,
    ids: string[],
    note?: string,
  ): Promise<BulkAcknowledgeResult> {
    const organizationId = actor.user.organizationId;
    const at = this.clock.now();
    const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
    const moved = await this.alerts.move(organizationId, unique, 'acknowledged', {
      userId: actor.user.id,
      note: note ?? null,
      at,
    });
    for (const id of moved) {
      const alert = await this.find(organizationId, id);
      await this.announcer.announce('acknowledged', organizationId, alert, { at, actor, note });
    }
    return { acknowledged: moved, skipped: unique.filter((id) => !moved.includes(id)) };
  }

  /** Streams every matching alert as CSV, newest first, in keyset chunks (no row limit). */
  async exportCsv(
    organizationId: string,
    filters: AlertFiltersDto,
    response: Response,
  ): Promise<void> {
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', 'attachment; filename="alerts.csv"');
    const csv = stringify({ header: true, columns: CSV_COLUMNS });
    csv.pipe(response);
    let after: { at: string; id: string } | null = null;
    for (;;) {
      const { items, more } = await this.alerts.page(organizationId, filters, EXPORT_CHUNK, after);
      for (const alert of items) {
        if (!csv.write(alert)) await once(csv, 'drain');
      }
      const last = items[items.length - 1];
      if (!more || !last) break;
      after = { at: last.triggeredAt, id: last.id };
    }
    csv.end();
    await once(response, 'finish');
  }

  private async move(
    actor: RequestActor,
    id: string,
    to: 'acknowledged' | 'resolved',
    note?: string,
  ): Promise<AlertView> {
    const organizationId = actor.user.organizationId;
    const at = this.clock.now();
    const [moved] = await this.alerts.move(organizationId, [id], to, {
      userId: actor.user.id,
      note: note ?? null,
      at,
    });
    const alert = await this.find(organizationId, id);
    if (!moved) {
      throw new Conflict('illegal_status_transition', `An ${alert.status} alert cannot be ${to}`, {
        from: alert.status,
        to,
        allowed: allowedAlertTransitions(alert.status),
      });
    }
    await this.announcer.announce(to, organizationId, alert, { at, actor, note });
    return alert;
  }

  private async find(organizationId: string, id: string): Promise<AlertView> {
    const alert = await this.alerts.find(organizationId, id);
    if (!alert) throw new NotFound('alert_not_found', 'Alert');
    return alert;
  }
}
