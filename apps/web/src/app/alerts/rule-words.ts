import {
  AlertCondition,
  THRESHOLD_CONDITIONS,
  type AlertRuleInput,
  type NotificationChannel,
} from '@gridwatch/contracts';
import { formatValue } from '../meters/chart-options';
import { parameterLabel, parameterUnit } from '../shared/labels';

/** The names of what a rule watches, when the page knows them (ids otherwise). */
export interface RuleTargetNames {
  site?: string;
  meter?: string;
}

const CHANNEL_WORDS: Record<NotificationChannel, string> = {
  in_app: 'in the app',
  email: 'by e-mail',
  webhook: 'by webhook',
};

/** "45 s", "5 min", "2 h", "1 h 30 min", "3 days". */
export function durationInWords(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds % 86_400 === 0) {
    const days = seconds / 86_400;
    return days === 1 ? '1 day' : `${days} days`;
  }
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  return [hours ? `${hours} h` : '', minutes ? `${minutes} min` : '', rest ? `${rest} s` : '']
    .filter(Boolean)
    .join(' ');
}

function minutesInWords(minutes: number): string {
  return durationInWords(minutes * 60);
}

/** What the rule watches: "meter Boiler", "every meter of site London", "every meter". */
function scopeInWords(rule: AlertRuleInput, names: RuleTargetNames): string {
  if (rule.scope.meterId) return `meter ${names.meter ?? rule.scope.meterId}`;
  if (rule.scope.siteId) return `every meter of site ${names.site ?? rule.scope.siteId}`;
  return 'every meter';
}

function valueWithUnit(rule: AlertRuleInput, value: number | null): string {
  if (value === null) return '(no threshold)';
  const unit = rule.parameter ? parameterUnit(rule.parameter) : '';
  return unit ? `${formatValue(value)} ${unit}` : formatValue(value);
}

/** The condition: "Power is above 9000 W", "no Power reading arrives", "the meter is offline". */
function conditionInWords(rule: AlertRuleInput): string {
  const parameter = rule.parameter ? parameterLabel(rule.parameter) : 'any parameter';
  switch (rule.condition) {
    case AlertCondition.Above:
      return `${parameter} is above ${valueWithUnit(rule, rule.threshold)}`;
    case AlertCondition.Below:
      return `${parameter} is below ${valueWithUnit(rule, rule.threshold)}`;
    case AlertCondition.RateOfChange:
      return `${parameter} changes by more than ${valueWithUnit(rule, rule.threshold)} a minute`;
    case AlertCondition.NoData:
      return `no ${parameter} reading arrives`;
    case AlertCondition.DataQuality:
      return `a ${rule.parameter ? `${parameter} ` : ''}reading's quality is not good`;
    case AlertCondition.DeviceOffline:
      return 'the meter is offline';
  }
}

/**
 * The rule as a sentence an operator can check before saving, e.g. "Critical alert when Power is
 * above 9 kW for 5 min on meter Boiler, in opening hours only. Notify in the app and by e-mail;
 * again every 30 min while open; escalate after 15 min, up to level 3. Resolves itself when the
 * condition clears."
 */
export function ruleInWords(rule: AlertRuleInput, names: RuleTargetNames = {}): string {
  const severity = rule.severity.charAt(0).toUpperCase() + rule.severity.slice(1);
  const lasting = rule.durationSeconds > 0 ? ` for ${durationInWords(rule.durationSeconds)}` : '';
  const schedule =
    rule.schedule === 'in_hours'
      ? ', in opening hours only'
      : rule.schedule === 'out_of_hours'
        ? ', outside opening hours only'
        : '';
  const sentences = [
    `${severity} alert when ${conditionInWords(rule)}${lasting} on ${scopeInWords(rule, names)}${schedule}.`,
  ];

  const channels = rule.channels.map((channel) => {
    if (channel === 'email' && rule.recipients.emails.length > 0)
      return `by e-mail (also to ${rule.recipients.emails.join(', ')})`;
    return CHANNEL_WORDS[channel];
  });
  const notify = channels.length > 0 ? `Notify ${joinWords(channels)}` : 'Notify no one';
  const extras = [
    rule.repeatMinutes ? `again every ${minutesInWords(rule.repeatMinutes)} while open` : '',
    rule.escalation
      ? `escalate after ${minutesInWords(rule.escalation.afterMinutes)}, up to level ${rule.escalation.maxLevel}`
      : '',
  ].filter(Boolean);
  sentences.push(`${[notify, ...extras].join('; ')}.`);
  if (rule.cooldownSeconds > 0)
    sentences.push(`Not raised again within ${durationInWords(rule.cooldownSeconds)}.`);
  sentences.push(
    rule.autoResolve ? 'Resolves itself when the condition clears.' : 'Resolved by hand.',
  );
  if (!rule.enabled) sentences.push('Disabled: it raises nothing until enabled.');
  return sentences.join(' ');
}

/** Whether the condition compares with a threshold (the form shows the field only then). */
export function needsThreshold(condition: AlertCondition): boolean {
  return THRESHOLD_CONDITIONS.includes(condition);
}

/** Whether the condition is about a parameter (device offline is not). */
export function needsParameter(condition: AlertCondition): boolean {
  return condition !== AlertCondition.DeviceOffline;
}

function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
