import { AlertCondition } from '@gridwatch/contracts';
import type { JudgedReading } from '@gridwatch/domain';
import type { AlertRuleEntity } from '@gridwatch/server';

export interface AlertText {
  title: string;
  message: string;
}

/** Title and message of an alert raised by a reading. */
export function describeReadingAlert(
  rule: AlertRuleEntity,
  meter: { name: string },
  reading: JudgedReading,
): AlertText {
  const at = new Date(reading.t).toISOString();
  const what = rule.parameter ?? 'reading';
  const messages: Partial<Record<AlertCondition, string>> = {
    above: `${what} ${reading.v} is above ${rule.threshold} at ${at}`,
    below: `${what} ${reading.v} is below ${rule.threshold} at ${at}`,
    rate_of_change: `${what} changed faster than ${rule.threshold} per minute (now ${reading.v}) at ${at}`,
    data_quality: `${what} reading of quality ${reading.q} at ${at}`,
  };
  return {
    title: `${rule.name}: ${meter.name}`,
    message: messages[rule.condition] ?? `${rule.condition} at ${at}`,
  };
}

/** Title and message of an alert raised by the sweep (no data, offline). */
export function describeSilence(
  rule: AlertRuleEntity,
  meter: { name: string },
  since: Date | null,
): AlertText {
  const seen = since ? `since ${since.toISOString()}` : 'ever';
  const message =
    rule.condition === AlertCondition.NoData
      ? `no ${rule.parameter} reading ${seen}`
      : `meter offline (last seen ${since ? since.toISOString() : 'never'})`;
  return { title: `${rule.name}: ${meter.name}`, message };
}
