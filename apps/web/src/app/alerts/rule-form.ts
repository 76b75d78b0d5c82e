import { FormControl, FormGroup, Validators } from '@angular/forms';
import {
  AlertCondition,
  Parameter,
  type AlertRuleInput,
  type AlertSchedule,
  type AlertSeverity,
  type NotificationChannel,
} from '@gridwatch/contracts';
import { needsParameter, needsThreshold } from './rule-words';

/** The rule editor's form; nested groups mirror the API's body, so its field paths name controls. */
export function ruleForm(rule: AlertRuleInput = newRule()) {
  return new FormGroup({
    name: new FormControl(rule.name, { nonNullable: true, validators: [Validators.required] }),
    severity: new FormControl<AlertSeverity>(rule.severity, { nonNullable: true }),
    scope: new FormGroup({
      siteId: new FormControl(rule.scope.siteId ?? '', { nonNullable: true }),
      meterId: new FormControl(rule.scope.meterId ?? '', { nonNullable: true }),
    }),
    condition: new FormControl<AlertCondition>(rule.condition, { nonNullable: true }),
    parameter: new FormControl<Parameter | ''>(rule.parameter ?? '', { nonNullable: true }),
    threshold: new FormControl<number | null>(rule.threshold),
    durationSeconds: new FormControl<number | null>(rule.durationSeconds, [Validators.min(0)]),
    cooldownSeconds: new FormControl<number | null>(rule.cooldownSeconds, [Validators.min(0)]),
    schedule: new FormControl<AlertSchedule>(rule.schedule, { nonNullable: true }),
    channels: new FormControl<NotificationChannel[]>(rule.channels, { nonNullable: true }),
    recipients: new FormGroup({
      emails: new FormControl(rule.recipients.emails.join(', '), { nonNullable: true }),
      webhookUrl: new FormControl(rule.recipients.webhookUrl ?? '', { nonNullable: true }),
    }),
    autoResolve: new FormControl(rule.autoResolve, { nonNullable: true }),
    escalate: new FormControl(rule.escalation !== null, { nonNullable: true }),
    escalation: new FormGroup({
      afterMinutes: new FormControl<number | null>(rule.escalation?.afterMinutes ?? 15),
      maxLevel: new FormControl<number | null>(rule.escalation?.maxLevel ?? 3),
    }),
    repeatMinutes: new FormControl<number | null>(rule.repeatMinutes),
    enabled: new FormControl(rule.enabled, { nonNullable: true }),
  });
}

export type RuleForm = ReturnType<typeof ruleForm>;
export type RuleFormValue = ReturnType<RuleForm['getRawValue']>;

/** What a new rule starts as: power above a threshold, in-app, resolving itself. */
export function newRule(): AlertRuleInput {
  return {
    name: '',
    scope: {},
    parameter: Parameter.PowerW,
    condition: AlertCondition.Above,
    threshold: null,
    durationSeconds: 0,
    cooldownSeconds: 0,
    severity: 'warning',
    channels: ['in_app'],
    recipients: { userIds: [], emails: [], webhookUrl: null },
    autoResolve: true,
    escalation: null,
    repeatMinutes: null,
    schedule: 'always',
    enabled: true,
  };
}

/**
 * The body to save: a threshold only for the conditions comparing with one, no parameter for
 * "device offline" (and "any" as null), the meter's scope over the site's, the escalation only
 * when asked for, the e-mail addresses one each. `userIds` are kept from the rule being edited.
 */
export function ruleInputOf(value: RuleFormValue, userIds: string[] = []): AlertRuleInput {
  const meterId = value.scope.meterId.trim();
  const siteId = value.scope.siteId.trim();
  return {
    name: value.name.trim(),
    scope: meterId ? { meterId } : siteId ? { siteId } : {},
    parameter: needsParameter(value.condition) && value.parameter !== '' ? value.parameter : null,
    condition: value.condition,
    threshold: needsThreshold(value.condition) ? value.threshold : null,
    durationSeconds: value.durationSeconds ?? 0,
    cooldownSeconds: value.cooldownSeconds ?? 0,
    severity: value.severity,
    channels: [...value.channels],
    recipients: {
      userIds,
      emails: value.recipients.emails
        .split(/[\s,;]+/)
        .map((email) => email.trim())
        .filter(Boolean),
      webhookUrl: value.recipients.webhookUrl.trim() || null,
    },
    autoResolve: value.autoResolve,
    escalation:
      value.escalate && value.escalation.afterMinutes !== null && value.escalation.maxLevel !== null
        ? { afterMinutes: value.escalation.afterMinutes, maxLevel: value.escalation.maxLevel }
        : null,
    repeatMinutes: value.repeatMinutes || null,
    schedule: value.schedule,
    enabled: value.enabled,
  };
}
