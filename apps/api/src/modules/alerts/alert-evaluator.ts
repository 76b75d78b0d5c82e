import { Injectable, Logger } from '@nestjs/common';
import {
  AlertCondition,
  READING_CONDITIONS,
  type QueuedReading,
  type ReadingsStoredEvent,
} from '@gridwatch/contracts';
import { judgeReadings, scheduleApplies, type JudgedReading } from '@gridwatch/domain';
import type { AlertRuleEntity } from '@gridwatch/server';
import { AlertAnnouncer } from './alert-announcer';
import { AlertClock } from './alert-clock';
import { AlertRulesCache } from './alert-rules.cache';
import { describeReadingAlert } from './alert-texts';
import {
  AlertsRepository,
  type RuleMemoryRow,
  type RuleMeterKey,
  type Trigger,
  type WatchedMeter,
} from './alerts.repository';

/** Whether a rule watches a meter: its own, its site's, or the whole organization's. */
export function ruleWatches(rule: AlertRuleEntity, meter: { id: string; siteId: string }): boolean {
  if (rule.meterId) return rule.meterId === meter.id;
  if (rule.siteId) return rule.siteId === meter.siteId;
  return true;
}

/**
 * Judges a stored job's readings against the organization's rules, in bulk: the rules come from
 * the cache, the meters and each (rule, meter)'s memory from one query each, the memories go
 * back in one upsert; only the pairs that trigger or clear cost a statement of their own.
 */
@Injectable()
export class AlertEvaluator {
  private readonly logger = new Logger('AlertEvaluator');

  constructor(
    private readonly cache: AlertRulesCache,
    private readonly alerts: AlertsRepository,
    private readonly announcer: AlertAnnouncer,
    private readonly clock: AlertClock,
  ) {}

  async readingsStored(event: ReadingsStoredEvent): Promise<void> {
    const rules = (await this.cache.rulesOf(event.organizationId)).filter(
      (rule) =>
        READING_CONDITIONS.includes(rule.condition) || rule.condition === AlertCondition.NoData,
    );
    if (rules.length === 0) return;
    const meters = await this.alerts.meters(
      event.organizationId,
      event.meters.map((meter) => meter.meterId),
    );
    const readingsOf = groupByMeter(event.readings);
    const pairs: Array<{ rule: AlertRuleEntity; meter: WatchedMeter; readings: JudgedReading[] }> =
      [];
    for (const meter of meters) {
      for (const rule of rules.filter((candidate) => ruleWatches(candidate, meter))) {
        const readings = (readingsOf.get(meter.id) ?? []).filter(
          (reading) => rule.parameter === null || reading.p === rule.parameter,
        );
        if (readings.length > 0) pairs.push({ rule, meter, readings });
      }
    }
    if (pairs.length === 0) return;
    const memories = await this.alerts.memories(
      pairs.map(({ rule, meter }) => ({ ruleId: rule.id, meterId: meter.id })),
    );
    const remembered: RuleMemoryRow[] = [];
    const triggers: Trigger[] = [];
    const cleared: RuleMeterKey[] = [];
    for (const { rule, meter, readings } of pairs) {
      const memory = AlertsRepository.memoryOf(memories, rule.id, meter.id);
      const verdict = judgeReadings(rule, readings, memory, (t) =>
        rule.condition === AlertCondition.NoData
          ? false
          : scheduleApplies(rule.schedule, t, meter.timezone, meter.operatingHours),
      );
      remembered.push({ ruleId: rule.id, meterId: meter.id, memory: verdict.memory });
      if (verdict.lastBreach) {
        const value = verdict.lastBreach.v;
        triggers.push({
          rule,
          meter,
          value,
          ...describeReadingAlert(rule, meter, verdict.lastBreach),
        });
      }
      if (verdict.clearedAtEnd && rule.autoResolve) {
        cleared.push({ ruleId: rule.id, meterId: meter.id });
      }
    }
    const now = this.clock.now();
    for (const trigger of triggers) await this.open(trigger, now);
    await this.resolve(event.organizationId, cleared, now);
    // Last: once a pair's memory shows a reading, the alerts that reading caused exist.
    await this.alerts.saveMemories(remembered);
  }

  /** Opens (or counts again) one alert and tells everyone; a failure spares the other pairs. */
  async open(trigger: Trigger, now: Date): Promise<void> {
    try {
      const result = await this.alerts.trigger(trigger, now);
      if (!result) return;
      const [view] = await this.alerts.views(trigger.rule.organizationId, [result.id]);
      if (view) {
        await this.announcer.announce(
          result.opened ? 'triggered' : 'occurred',
          trigger.rule.organizationId,
          view,
          { at: now },
        );
      }
    } catch (error) {
      this.logger.error(`could not trigger rule ${trigger.rule.id}: ${(error as Error).message}`);
    }
  }

  async resolve(organizationId: string, pairs: RuleMeterKey[], now: Date): Promise<void> {
    const ids = await this.alerts.autoResolve(pairs, now);
    for (const view of await this.alerts.views(organizationId, ids)) {
      await this.announcer.announce('resolved', organizationId, view, { at: now });
    }
  }
}

function groupByMeter(
  readings: readonly QueuedReading[],
): Map<string, Array<JudgedReading & { p: string }>> {
  const byMeter = new Map<string, Array<JudgedReading & { p: string }>>();
  for (const reading of readings) {
    const list = byMeter.get(reading.m) ?? [];
    list.push({ t: reading.t, v: reading.v, q: reading.q, p: reading.p });
    byMeter.set(reading.m, list);
  }
  return byMeter;
}
