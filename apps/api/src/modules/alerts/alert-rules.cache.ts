import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AlertRuleEntity, type AppConfig, REDIS } from '@gridwatch/server';

interface Entry {
  version: string;
  rules: AlertRuleEntity[];
}

/**
 * The enabled rules of each organization, loaded once and kept until a rule changes: every change
 * bumps the organization's version in Redis, so every process (API and workers) reloads on its
 * next job. One Redis GET per job, no database round trip while nothing changed.
 */
@Injectable()
export class AlertRulesCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async rulesOf(organizationId: string): Promise<AlertRuleEntity[]> {
    const version = (await this.redis.get(this.key(organizationId))) ?? '0';
    const cached = this.entries.get(organizationId);
    if (cached && cached.version === version) return cached.rules;
    const rules = await this.db.manager.findBy(AlertRuleEntity, { organizationId, enabled: true });
    this.entries.set(organizationId, { version, rules });
    return rules;
  }

  /** Called after every rule change (create, update, delete, import). */
  async invalidate(organizationId: string): Promise<void> {
    this.entries.delete(organizationId);
    await this.redis.incr(this.key(organizationId));
  }

  private key(organizationId: string): string {
    return `${this.config.queuePrefix}:alert-rules:version:${organizationId}`;
  }
}
