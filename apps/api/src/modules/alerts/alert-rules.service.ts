import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  AlertCondition,
  NotificationChannel,
  THRESHOLD_CONDITIONS,
  type AlertRuleInput,
  type AlertRulesDocument,
  type EventType,
  type FieldError,
} from '@gridwatch/contracts';
import {
  AlertRuleEntity,
  APP_CONFIG,
  type AppConfig,
  EventRecorder,
  MeterEntity,
  NotFound,
  SecretBox,
  SiteEntity,
  UserEntity,
  ValidationFailed,
} from '@gridwatch/server';
import type { RequestActor } from '../auth/authenticated-user';
import { WebhookHostPolicy } from '../notifications/webhook-host.policy';
import { AlertRulesCache } from './alert-rules.cache';
import { toAlertRuleInput, toAlertRuleView } from './alert-rule-view';
import type {
  AlertRuleDto,
  CreateAlertRuleDto,
  CreatedAlertRuleDto,
  UpdateAlertRuleDto,
} from './dto/alert-rule.dto';
import type { ImportAlertRulesDto } from './dto/alert-rules-document.dto';

const WEBHOOK_SECRET_BYTES = 32;

/** Alert rules: validated as a whole on every save, webhook targets checked after DNS. */
@Injectable()
export class AlertRulesService {
  private readonly box: SecretBox;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cache: AlertRulesCache,
    private readonly events: EventRecorder,
    private readonly webhooks: WebhookHostPolicy,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.box = new SecretBox(config.credentialsKey);
  }

  async list(organizationId: string): Promise<AlertRuleDto[]> {
    const rules = await this.db.manager.find(AlertRuleEntity, {
      where: { organizationId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return rules.map(toAlertRuleView);
  }

  async get(organizationId: string, id: string): Promise<AlertRuleDto> {
    return toAlertRuleView(await this.find(this.db.manager, organizationId, id));
  }

  async create(actor: RequestActor, dto: CreateAlertRuleDto): Promise<CreatedAlertRuleDto> {
    const organizationId = actor.user.organizationId;
    const input = withDefaults(dto);
    await this.check(this.db.manager, organizationId, input);
    const { rule, secret } = await this.db.transaction(async (manager) => {
      const created = await this.insert(manager, organizationId, input);
      await this.record(actor, 'alert_rule.created', created.rule, manager);
      return created;
    });
    await this.cache.invalidate(organizationId);
    return withSecret(rule, secret);
  }

  async update(
    actor: RequestActor,
    id: string,
    dto: UpdateAlertRuleDto,
  ): Promise<CreatedAlertRuleDto> {
    const organizationId = actor.user.organizationId;
    const result = await this.db.transaction(async (manager) => {
      const rule = await this.find(manager, organizationId, id, true);
      const input = withDefaults({ ...toAlertRuleInput(rule), ...dropUndefined(dto) });
      await this.check(manager, organizationId, input);
      let secret: string | undefined;
      if (input.recipients.webhookUrl && !rule.webhookSecretSealed) {
        secret = newSecret();
        rule.webhookSecretSealed = this.box.seal(secret);
      }
      Object.assign(rule, columnsOf(input));
      const saved = await manager.save(rule);
      await this.record(actor, 'alert_rule.updated', saved, manager, {
        changed: Object.keys(dropUndefined(dto)),
      });
      return { rule: saved, secret };
    });
    await this.cache.invalidate(organizationId);
    return withSecret(result.rule, result.secret);
  }

  /** Deletes the rule; its alerts stay as history (the rule's name is kept on each). */
  async remove(actor: RequestActor, id: string): Promise<void> {
    const organizationId = actor.user.organizationId;
    await this.db.transaction(async (manager) => {
      const rule = await this.find(manager, organizationId, id, true);
      await this.record(actor, 'alert_rule.deleted', rule, manager);
      await manager.query(
        `UPDATE alerts SET status = 'resolved', resolved_at = now(), resolution = 'manual',
           resolved_by = $2, resolve_note = 'rule deleted'
         WHERE rule_id = $1 AND status <> 'resolved'`,
        [id, actor.user.id],
      );
      await manager.delete(AlertRuleEntity, { id, organizationId });
    });
    await this.cache.invalidate(organizationId);
  }

  async export(organizationId: string): Promise<AlertRulesDocument> {
    const rules = await this.db.manager.find(AlertRuleEntity, {
      where: { organizationId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return { version: 1, exportedAt: new Date().toISOString(), rules: rules.map(toAlertRuleInput) };
  }

  /** Creates every rule of the document, or none (one transaction; the first bad rule refuses). */
  async import(actor: RequestActor, dto: ImportAlertRulesDto): Promise<CreatedAlertRuleDto[]> {
    const organizationId = actor.user.organizationId;
    const inputs = dto.rules.map((rule, index) => retarget(withDefaults(rule), dto.siteId, index));
    const created = await this.db.transaction(async (manager) => {
      const rules: CreatedAlertRuleDto[] = [];
      for (const [index, input] of inputs.entries()) {
        await this.check(manager, organizationId, input, `rules.${index}.`);
        const { rule, secret } = await this.insert(manager, organizationId, input);
        rules.push(withSecret(rule, secret));
      }
      await this.events.record(
        {
          organizationId,
          type: 'alert_rule.imported',
          actor,
          data: { count: rules.length, ids: rules.map((rule) => rule.id), siteId: dto.siteId },
        },
        manager,
      );
      return rules;
    });
    await this.cache.invalidate(organizationId);
    return created;
  }

  private async insert(
    manager: EntityManager,
    organizationId: string,
    input: AlertRuleInput,
  ): Promise<{ rule: AlertRuleEntity; secret?: string }> {
    const secret = input.recipients.webhookUrl ? newSecret() : undefined;
    const rule = await manager.save(
      manager.create(AlertRuleEntity, {
        organizationId,
        ...columnsOf(input),
        webhookSecretSealed: secret ? this.box.seal(secret) : null,
      }),
    );
    return { rule, secret };
  }

  private async find(
    manager: EntityManager,
    organizationId: string,
    id: string,
    lock = false,
  ): Promise<AlertRuleEntity> {
    const rule = await manager.findOne(AlertRuleEntity, {
      where: { id, organizationId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!rule) throw new NotFound('alert_rule_not_found', 'Alert rule');
    return rule;
  }

  /** The rules a field-by-field DTO check cannot see: combinations, ownership, webhook target. */
  private async check(
    manager: EntityManager,
    organizationId: string,
    input: AlertRuleInput,
    prefix = '',
  ): Promise<void> {
    const problems = fieldProblems(input);
    if (problems.length > 0) {
      throw new ValidationFailed(
        `Invalid alert rule: check ${problems.map((p) => prefix + p.field).join(', ')}`,
        problems.map((problem) => ({ ...problem, field: prefix + problem.field })),
      );
    }
    const { siteId, meterId } = input.scope;
    if (siteId && !(await manager.existsBy(SiteEntity, { id: siteId, organizationId }))) {
      throw new NotFound('site_not_found', 'Site');
    }
    if (meterId && !(await manager.existsBy(MeterEntity, { id: meterId, organizationId }))) {
      throw new NotFound('meter_not_found', 'Meter');
    }
    const userIds = [...new Set(input.recipients.userIds)];
    if (userIds.length > 0) {
      const found = await manager.countBy(UserEntity, { id: In(userIds), organizationId });
      if (found !== userIds.length) throw new NotFound('user_not_found', 'User');
    }
    if (input.recipients.webhookUrl) await this.webhooks.resolveUrl(input.recipients.webhookUrl);
  }

  private record(
    actor: RequestActor,
    type: EventType,
    rule: AlertRuleEntity,
    manager: EntityManager,
    data: Record<string, unknown> = {},
  ): Promise<void> {
    return this.events.record(
      {
        organizationId: rule.organizationId,
        type,
        actor,
        subject: { type: 'alert_rule', id: rule.id },
        data: { name: rule.name, condition: rule.condition, ...data },
      },
      manager,
    );
  }
}

function withDefaults(dto: CreateAlertRuleDto | AlertRuleInput): AlertRuleInput {
  return {
    name: dto.name,
    scope: { siteId: dto.scope?.siteId, meterId: dto.scope?.meterId },
    parameter: dto.parameter ?? null,
    condition: dto.condition,
    threshold: dto.threshold ?? null,
    durationSeconds: dto.durationSeconds ?? 0,
    cooldownSeconds: dto.cooldownSeconds ?? 0,
    severity: dto.severity,
    channels: [...new Set(dto.channels ?? [NotificationChannel.InApp])],
    recipients: {
      userIds: dto.recipients?.userIds ?? [],
      emails: dto.recipients?.emails ?? [],
      webhookUrl: dto.recipients?.webhookUrl ?? null,
    },
    autoResolve: dto.autoResolve ?? true,
    escalation: dto.escalation ?? null,
    repeatMinutes: dto.repeatMinutes ?? null,
    schedule: dto.schedule ?? 'always',
    enabled: dto.enabled ?? true,
  };
}

function fieldProblems(input: AlertRuleInput): FieldError[] {
  const problems: FieldError[] = [];
  const add = (field: string, message: string) => problems.push({ field, messages: [message] });
  if (input.scope.siteId && input.scope.meterId) {
    add('scope', 'scope names a site or a meter, not both');
  }
  if (THRESHOLD_CONDITIONS.includes(input.condition) && input.threshold === null) {
    add('threshold', `threshold is required for ${input.condition}`);
  }
  const needsParameter =
    input.condition !== AlertCondition.DeviceOffline &&
    input.condition !== AlertCondition.DataQuality;
  if (needsParameter && input.parameter === null) {
    add('parameter', `parameter is required for ${input.condition}`);
  }
  if (input.condition === AlertCondition.DeviceOffline && input.parameter !== null) {
    add('parameter', 'device_offline watches the meter, not a parameter: leave parameter out');
  }
  if (input.condition === AlertCondition.NoData && input.durationSeconds < 1) {
    add('durationSeconds', 'no_data needs durationSeconds: how long a silence is too long');
  }
  if (input.channels.includes(NotificationChannel.Webhook) && !input.recipients.webhookUrl) {
    add('recipients.webhookUrl', 'the webhook channel needs recipients.webhookUrl');
  }
  return problems;
}

function retarget(input: AlertRuleInput, siteId: string | undefined, index: number) {
  if (!siteId) return input;
  if (input.scope.meterId) {
    throw new ValidationFailed('A meter-scoped rule cannot be retargeted at another site', [
      { field: `rules.${index}.scope`, messages: ['meter-scoped rules cannot be retargeted'] },
    ]);
  }
  return input.scope.siteId ? { ...input, scope: { siteId } } : input;
}

function columnsOf(input: AlertRuleInput): Partial<AlertRuleEntity> {
  return {
    name: input.name,
    siteId: input.scope.siteId ?? null,
    meterId: input.scope.meterId ?? null,
    parameter: input.parameter,
    condition: input.condition,
    threshold: input.threshold,
    durationSeconds: input.durationSeconds,
    cooldownSeconds: input.cooldownSeconds,
    severity: input.severity,
    channels: input.channels,
    recipients: input.recipients,
    autoResolve: input.autoResolve,
    escalation: input.escalation,
    repeatMinutes: input.repeatMinutes,
    schedule: input.schedule,
    enabled: input.enabled,
  };
}

function withSecret(rule: AlertRuleEntity, secret: string | undefined): CreatedAlertRuleDto {
  return secret ? { ...toAlertRuleView(rule), webhookSecret: secret } : toAlertRuleView(rule);
}

function newSecret(): string {
  return randomBytes(WEBHOOK_SECRET_BYTES).toString('base64url');
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== undefined),
  ) as Partial<T>;
}
