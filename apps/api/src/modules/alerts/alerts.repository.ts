import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AlertView, OperatingHours } from '@gridwatch/contracts';
import type { RuleMemory } from '@gridwatch/domain';
import type { AlertRuleEntity } from '@gridwatch/server';
import { ALERT_VIEW_SQL, type AlertRow, toAlertView } from './alert-view';

/** A meter as rules see it: where it is and that site's clock. */
export interface WatchedMeter {
  id: string;
  name: string;
  siteId: string;
  timezone: string;
  operatingHours: OperatingHours;
}

export interface RuleMeterKey {
  ruleId: string;
  meterId: string;
}

export interface RuleMemoryRow extends RuleMeterKey {
  memory: RuleMemory;
}

/** A condition that held: open an alert, or count one more occurrence of the open one. */
export interface Trigger {
  rule: AlertRuleEntity;
  meter: WatchedMeter;
  value: number | null;
  title: string;
  message: string;
}

const key = (ruleId: string, meterId: string) => `${ruleId}|${meterId}`;

/** The alert SQL of evaluation and the sweep: bulk where a job touches many rows. */
@Injectable()
export class AlertsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async meters(organizationId: string, meterIds: string[]): Promise<WatchedMeter[]> {
    const rows = (await this.db.query(
      `SELECT m.id, m.name, m.site_id, s.timezone, s.operating_hours
       FROM meters m JOIN sites s ON s.id = m.site_id
       WHERE m.organization_id = $1 AND m.id = ANY($2::uuid[]) AND m.status <> 'decommissioned'`,
      [organizationId, meterIds],
    )) as Array<{
      id: string;
      name: string;
      site_id: string;
      timezone: string;
      operating_hours: OperatingHours;
    }>;
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      siteId: row.site_id,
      timezone: row.timezone,
      operatingHours: row.operating_hours,
    }));
  }

  /** Each pair's memory (one query); a pair never judged before starts empty. */
  async memories(pairs: RuleMeterKey[]): Promise<Map<string, RuleMemory>> {
    const rows = (await this.db.query(
      `SELECT s.rule_id, s.meter_id, s.breach_since, s.last_ts, s.last_value
       FROM alert_rule_states s
       JOIN unnest($1::uuid[], $2::uuid[]) AS p(rule_id, meter_id)
         ON p.rule_id = s.rule_id AND p.meter_id = s.meter_id`,
      [pairs.map((p) => p.ruleId), pairs.map((p) => p.meterId)],
    )) as Array<{
      rule_id: string;
      meter_id: string;
      breach_since: Date | null;
      last_ts: Date | null;
      last_value: number | null;
    }>;
    return new Map(
      rows.map((row) => [
        key(row.rule_id, row.meter_id),
        {
          breachSince: row.breach_since?.getTime() ?? null,
          last:
            row.last_ts && row.last_value !== null
              ? { t: row.last_ts.getTime(), v: row.last_value }
              : null,
        },
      ]),
    );
  }

  static memoryOf(memories: Map<string, RuleMemory>, ruleId: string, meterId: string): RuleMemory {
    return memories.get(key(ruleId, meterId)) ?? { breachSince: null, last: null };
  }

  /** One upsert for the job; an older job finishing late does not roll a pair's memory back. */
  async saveMemories(rows: RuleMemoryRow[]): Promise<void> {
    if (rows.length === 0) return;
    const time = (ms: number | null | undefined) => (ms == null ? null : new Date(ms));
    await this.db.query(
      `INSERT INTO alert_rule_states (rule_id, meter_id, breach_since, last_ts, last_value)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::timestamptz[], $5::float8[])
       ON CONFLICT (rule_id, meter_id) DO UPDATE SET
         breach_since = EXCLUDED.breach_since, last_ts = EXCLUDED.last_ts,
         last_value = EXCLUDED.last_value, updated_at = now()
       WHERE alert_rule_states.last_ts IS NULL OR EXCLUDED.last_ts >= alert_rule_states.last_ts`,
      [
        rows.map((r) => r.ruleId),
        rows.map((r) => r.meterId),
        rows.map((r) => time(r.memory.breachSince)),
        rows.map((r) => time(r.memory.last?.t)),
        rows.map((r) => r.memory.last?.v ?? null),
      ],
    );
  }

  /**
   * Opens the pair's alert, or counts one more occurrence of the open one. The partial unique
   * index (one open alert per rule and meter) is the arbiter between racing workers; a rule's
   * cooldown keeps a new alert from opening that soon after the last one resolved.
   * Answers the alert and whether this call opened it; null inside the cooldown.
   */
  async trigger(
    trigger: Trigger,
    now: Date,
    manager: EntityManager = this.db.manager,
  ): Promise<{ id: string; opened: boolean } | null> {
    const { rule, meter } = trigger;
    const [row] = (await manager.query(
      `INSERT INTO alerts (organization_id, rule_id, meter_id, site_id, rule_name, condition,
         parameter, threshold, severity, title, message, first_value, last_value, triggered_at,
         last_triggered_at)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $13
       WHERE NOT EXISTS (
         SELECT 1 FROM alerts WHERE rule_id = $2 AND meter_id = $3 AND status = 'resolved'
           AND resolved_at > $13::timestamptz - make_interval(secs => $14))
       ON CONFLICT (rule_id, meter_id) WHERE status <> 'resolved' DO UPDATE SET
         last_value = EXCLUDED.last_value, occurrences = alerts.occurrences + 1,
         last_triggered_at = EXCLUDED.last_triggered_at, message = EXCLUDED.message
       RETURNING id, (xmax = 0) AS opened`,
      [
        rule.organizationId,
        rule.id,
        meter.id,
        meter.siteId,
        rule.name,
        rule.condition,
        rule.parameter,
        rule.threshold,
        rule.severity,
        trigger.title,
        trigger.message,
        trigger.value,
        now,
        rule.cooldownSeconds,
      ],
    )) as Array<{ id: string; opened: boolean }>;
    return row ?? null;
  }

  /** Resolves the open alerts of these pairs automatically; answers the resolved alerts' ids. */
  async autoResolve(pairs: RuleMeterKey[], now: Date): Promise<string[]> {
    if (pairs.length === 0) return [];
    const [rows] = (await this.db.query(
      `UPDATE alerts a SET status = 'resolved', resolved_at = $3, resolution = 'auto',
         resolved_by = NULL
       FROM unnest($1::uuid[], $2::uuid[]) AS p(rule_id, meter_id)
       WHERE a.rule_id = p.rule_id AND a.meter_id = p.meter_id AND a.status <> 'resolved'
       RETURNING a.id`,
      [pairs.map((p) => p.ruleId), pairs.map((p) => p.meterId), now],
    )) as [Array<{ id: string }>, number];
    return rows.map((row) => row.id);
  }

  async views(organizationId: string | null, ids: string[]): Promise<AlertView[]> {
    if (ids.length === 0) return [];
    const rows = (await this.db.query(
      `${ALERT_VIEW_SQL} WHERE a.id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR a.organization_id = $2)
       ORDER BY a.triggered_at DESC, a.id DESC`,
      [ids, organizationId],
    )) as AlertRow[];
    return rows.map(toAlertView);
  }
}
