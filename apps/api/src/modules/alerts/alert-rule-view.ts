import type { AlertRuleInput } from '@gridwatch/contracts';
import type { AlertRuleEntity } from '@gridwatch/server';
import type { AlertRuleDto } from './dto/alert-rule.dto';

/** A rule as written: what export answers and import takes. */
export function toAlertRuleInput(rule: AlertRuleEntity): AlertRuleInput {
  return {
    name: rule.name,
    scope: {
      ...(rule.siteId ? { siteId: rule.siteId } : {}),
      ...(rule.meterId ? { meterId: rule.meterId } : {}),
    },
    parameter: rule.parameter,
    condition: rule.condition,
    threshold: rule.threshold,
    durationSeconds: rule.durationSeconds,
    cooldownSeconds: rule.cooldownSeconds,
    severity: rule.severity,
    channels: rule.channels,
    recipients: {
      userIds: rule.recipients.userIds ?? [],
      emails: rule.recipients.emails ?? [],
      webhookUrl: rule.recipients.webhookUrl ?? null,
    },
    autoResolve: rule.autoResolve,
    escalation: rule.escalation,
    repeatMinutes: rule.repeatMinutes,
    schedule: rule.schedule,
    enabled: rule.enabled,
  };
}

export function toAlertRuleView(rule: AlertRuleEntity): AlertRuleDto {
  return {
    id: rule.id,
    ...toAlertRuleInput(rule),
    hasWebhookSecret: rule.webhookSecretSealed !== null,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}
