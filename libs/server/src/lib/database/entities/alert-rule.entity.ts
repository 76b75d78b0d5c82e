import type {
  AlertCondition,
  AlertEscalation,
  AlertRecipients,
  AlertSchedule,
  AlertSeverity,
  NotificationChannel,
  Parameter,
} from '@gridwatch/contracts';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { MeterEntity } from './meter.entity';
import { OrganizationEntity } from './organization.entity';
import { SiteEntity } from './site.entity';

/** What to watch, where, and whom to tell. Scope: meter_id, else site_id, else the organization. */
@Entity({ name: 'alert_rules' })
@Index('alert_rules_organization_id_idx', ['organizationId'])
export class AlertRuleEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'site_id', type: 'uuid', nullable: true })
  siteId!: string | null;

  @Column({ name: 'meter_id', type: 'uuid', nullable: true })
  meterId!: string | null;

  @Column({ type: 'text', nullable: true })
  parameter!: Parameter | null;

  @Column({ type: 'text' })
  condition!: AlertCondition;

  @Column({ type: 'double precision', nullable: true })
  threshold!: number | null;

  @Column({ name: 'duration_seconds', type: 'integer', default: 0 })
  durationSeconds!: number;

  @Column({ name: 'cooldown_seconds', type: 'integer', default: 0 })
  cooldownSeconds!: number;

  @Column({ type: 'text' })
  severity!: AlertSeverity;

  @Column({ type: 'jsonb', default: [] })
  channels!: NotificationChannel[];

  @Column({ type: 'jsonb', default: {} })
  recipients!: AlertRecipients;

  /** The webhook's HMAC key, sealed like device secrets (SecretBox); answered once. */
  @Column({ name: 'webhook_secret_sealed', type: 'text', nullable: true })
  webhookSecretSealed!: string | null;

  @Column({ name: 'auto_resolve', type: 'boolean', default: true })
  autoResolve!: boolean;

  @Column({ type: 'jsonb', nullable: true })
  escalation!: AlertEscalation | null;

  @Column({ name: 'repeat_minutes', type: 'integer', nullable: true })
  repeatMinutes!: number | null;

  @Column({ type: 'text', default: 'always' })
  schedule!: AlertSchedule;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'organization_id',
    foreignKeyConstraintName: 'alert_rules_organization_id_fkey',
  })
  organization?: OrganizationEntity;

  @ManyToOne(() => SiteEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'alert_rules_site_id_fkey' })
  site?: SiteEntity;

  @ManyToOne(() => MeterEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'meter_id', foreignKeyConstraintName: 'alert_rules_meter_id_fkey' })
  meter?: MeterEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
