import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { StatusChangedEvent } from '@gridwatch/contracts';
import { scheduleApplies } from '@gridwatch/domain';
import { AlertRuleEntity, APP_CONFIG, type AppConfig } from '@gridwatch/server';
import { AlertAnnouncer, type AlertHappening } from './alert-announcer';
import { AlertClock } from './alert-clock';
import { AlertEvaluator } from './alert-evaluator';
import { type AlertText, describeSilence } from './alert-texts';
import { AlertsRepository, type RuleMeterKey, type WatchedMeter } from './alerts.repository';

const SWEEP_LOCK = 4_242_011;

interface Silent {
  organization_id: string;
  rule_id: string;
  meter_id: string;
  since: Date | null;
}

/** Every rule with every meter inside its scope. */
const METERS_IN_SCOPE = `
  FROM alert_rules r
  JOIN meters m ON m.organization_id = r.organization_id
    AND (r.meter_id IS NULL OR r.meter_id = m.id)
    AND (r.site_id IS NULL OR r.site_id = m.site_id)`;

/** (rule, meter) pairs of enabled rules of a condition without an open alert. */
const WATCHED = (condition: string) => `
  ${METERS_IN_SCOPE}
  WHERE r.enabled AND r.condition = '${condition}'
    AND NOT EXISTS (SELECT 1 FROM alerts a
                    WHERE a.rule_id = r.id AND a.meter_id = m.id AND a.status <> 'resolved')`;

/**
 * What no reading announces: silence (no_data), a meter offline, and time passing on open alerts
 * (escalation, repeats). Runs every ALERT_SWEEP_INTERVAL_SECONDS in each worker; a session
 * advisory lock lets one process act per round, and every write is a guarded UPDATE or the
 * one-open-alert upsert, so a second sweeper could do no harm anyway.
 */
@Injectable()
export class AlertsSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AlertsSweeper');
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly alerts: AlertsRepository,
    private readonly evaluator: AlertEvaluator,
    private readonly announcer: AlertAnnouncer,
    private readonly clock: AlertClock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.processMode === 'api') return;
    this.timer = setInterval(() => {
      this.sweep().catch((error: Error) => this.logger.warn(`sweep failed: ${error.message}`));
    }, this.config.alertSweepIntervalSeconds * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** One round; false when another process holds the round. */
  async sweep(): Promise<boolean> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [
        SWEEP_LOCK,
      ])) as [{ locked: boolean }];
      if (!locked) return false;
      try {
        const now = this.clock.now();
        await this.offline(now, null);
        await this.noData(now);
        await this.dataQualityIssues(now);
        await this.escalate(now);
        await this.repeat(now);
        return true;
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [SWEEP_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  /** A meter's flip is judged at once, not at the next round. */
  async meterStatusChanged(event: StatusChangedEvent): Promise<void> {
    if (event.to !== 'offline' && event.from !== 'offline') return;
    await this.offline(this.clock.now(), event.id);
  }

  /**
   * Offline meters that were seen before raise device_offline (after the rule's duration); meters
   * back online resolve it.
   */
  private async offline(now: Date, meterId: string | null): Promise<void> {
    const silent = (await this.db.query(
      `SELECT r.organization_id, r.id AS rule_id, m.id AS meter_id, m.last_seen_at AS since
       ${WATCHED('device_offline')}
         AND m.status = 'offline' AND ($2::uuid IS NULL OR m.id = $2)
         -- A meter never heard from is not commissioned yet, not lost.
         AND m.last_seen_at IS NOT NULL
         AND m.last_seen_at <= $1::timestamptz - make_interval(secs => r.duration_seconds)`,
      [now, meterId],
    )) as Silent[];
    await this.raise(silent, now);
    const back = (await this.db.query(
      `SELECT a.organization_id, a.rule_id, a.meter_id
       FROM alerts a JOIN alert_rules r ON r.id = a.rule_id JOIN meters m ON m.id = a.meter_id
       WHERE a.status <> 'resolved' AND a.condition = 'device_offline' AND r.auto_resolve
         AND m.status <> 'offline' AND ($1::uuid IS NULL OR m.id = $1)`,
      [meterId],
    )) as Array<{ organization_id: string; rule_id: string; meter_id: string }>;
    for (const [organizationId, pairs] of byOrganization(back)) {
      await this.evaluator.resolve(organizationId, pairs, now);
    }
  }

  /** No reading of the rule's parameter for its duration (since the rule or meter began). */
  private async noData(now: Date): Promise<void> {
    const silent = (await this.db.query(
      `SELECT * FROM (
         SELECT r.organization_id, r.id AS rule_id, m.id AS meter_id, r.duration_seconds,
                greatest(r.created_at, m.created_at) AS watched_since,
                (SELECT s.last_ts FROM alert_rule_states s
                 WHERE s.rule_id = r.id AND s.meter_id = m.id) AS since
         ${WATCHED('no_data')}
           AND m.status NOT IN ('maintenance', 'decommissioned')) pairs
       WHERE coalesce(since, watched_since)
             <= $1::timestamptz - make_interval(secs => duration_seconds)`,
      [now],
    )) as Silent[];
    await this.raise(silent, now);
  }

  /**
   * Data-quality rules also read the issues the pipeline and the Modbus poller record (a
   * communication error comes with no reading to judge): an open issue of a watched meter,
   * detected since the rule exists, raises the rule's alert once: not again while that alert is
   * open, nor after it, for the same issue.
   */
  private async dataQualityIssues(now: Date): Promise<void> {
    const issues = (await this.db.query(
      `SELECT r.organization_id, r.id AS rule_id, m.id AS meter_id, i.detected_at AS since,
              i.message
       ${METERS_IN_SCOPE}
       JOIN LATERAL (
         SELECT i.detected_at, i.message FROM data_quality_issues i
         WHERE i.meter_id = m.id AND i.resolved_at IS NULL AND i.detected_at >= r.created_at
           AND (r.parameter IS NULL OR i.parameter IS NULL OR i.parameter = r.parameter)
         ORDER BY i.detected_at DESC LIMIT 1) i ON TRUE
       WHERE r.enabled AND r.condition = 'data_quality' AND m.status <> 'decommissioned'
         AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.rule_id = r.id AND a.meter_id = m.id
                         AND (a.status <> 'resolved' OR a.triggered_at >= i.detected_at))`,
    )) as Array<Silent & { message: string }>;
    await this.raise(issues, now, (rule, meter, row) => ({
      title: `${rule.name}: ${meter.name}`,
      message: (row as Silent & { message: string }).message,
    }));
  }

  private async raise(
    silent: Silent[],
    now: Date,
    describe: (rule: AlertRuleEntity, meter: WatchedMeter, row: Silent) => AlertText = (
      rule,
      meter,
      row,
    ) => describeSilence(rule, meter, row.since),
  ): Promise<void> {
    if (silent.length === 0) return;
    const rules = new Map(
      (
        await this.db.manager.findBy(AlertRuleEntity, {
          id: In([...new Set(silent.map((row) => row.rule_id))]),
        })
      ).map((rule) => [rule.id, rule]),
    );
    for (const [organizationId, rows] of groupBy(silent, (row) => row.organization_id)) {
      const meters = new Map(
        (
          await this.alerts.meters(
            organizationId,
            rows.map((row) => row.meter_id),
          )
        ).map((m) => [m.id, m]),
      );
      for (const row of rows) {
        const rule = rules.get(row.rule_id);
        const meter = meters.get(row.meter_id);
        if (!rule || !meter) continue;
        if (!scheduleApplies(rule.schedule, now.getTime(), meter.timezone, meter.operatingHours)) {
          continue;
        }
        await this.evaluator.open({ rule, meter, value: null, ...describe(rule, meter, row) }, now);
      }
    }
  }

  /** Unacknowledged past afterMinutes: one level up (to maxLevel), owners told too. */
  private async escalate(now: Date): Promise<void> {
    const [rows] = (await this.db.query(
      `UPDATE alerts a SET escalation_level = a.escalation_level + 1, last_escalated_at = $1,
         last_notified_at = $1
       FROM alert_rules r
       WHERE r.id = a.rule_id AND a.status = 'active' AND r.escalation IS NOT NULL
         AND a.escalation_level < (r.escalation->>'maxLevel')::int
         AND coalesce(a.last_escalated_at, a.triggered_at)
             <= $1::timestamptz - make_interval(mins => (r.escalation->>'afterMinutes')::int)
       RETURNING a.id, a.organization_id`,
      [now],
    )) as [Array<{ id: string; organization_id: string }>, number];
    await this.announceAll('escalated', rows, now);
  }

  /** Open alerts of rules with repeatMinutes are notified again every repeatMinutes. */
  private async repeat(now: Date): Promise<void> {
    const [rows] = (await this.db.query(
      `UPDATE alerts a SET last_notified_at = $1
       FROM alert_rules r
       WHERE r.id = a.rule_id AND a.status <> 'resolved' AND r.repeat_minutes IS NOT NULL
         AND coalesce(a.last_notified_at, a.triggered_at)
             <= $1::timestamptz - make_interval(mins => r.repeat_minutes)
       RETURNING a.id, a.organization_id`,
      [now],
    )) as [Array<{ id: string; organization_id: string }>, number];
    await this.announceAll('repeated', rows, now);
  }

  private async announceAll(
    happening: AlertHappening,
    rows: Array<{ id: string; organization_id: string }>,
    now: Date,
  ): Promise<void> {
    for (const [organizationId, list] of groupBy(rows, (row) => row.organization_id)) {
      const views = await this.alerts.views(
        organizationId,
        list.map((row) => row.id),
      );
      for (const view of views) {
        await this.announcer.announce(happening, organizationId, view, { at: now });
      }
    }
  }
}

function groupBy<T>(rows: T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(keyOf(row), [...(groups.get(keyOf(row)) ?? []), row]);
  return groups;
}

function byOrganization(
  rows: Array<{ organization_id: string; rule_id: string; meter_id: string }>,
): Map<string, RuleMeterKey[]> {
  const groups = new Map<string, RuleMeterKey[]>();
  for (const [organizationId, list] of groupBy(rows, (row) => row.organization_id)) {
    groups.set(
      organizationId,
      list.map((row) => ({ ruleId: row.rule_id, meterId: row.meter_id })),
    );
  }
  return groups;
}
