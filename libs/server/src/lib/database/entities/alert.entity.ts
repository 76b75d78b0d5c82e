import type {
  AlertCondition,
  AlertResolution,
  AlertSeverity,
  AlertStatus,
  Parameter,
} from '@gridwatch/contracts';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AlertRuleEntity } from './alert-rule.entity';
import { MeterEntity } from './meter.entity';
import { OrganizationEntity } from './organization.entity';
import { SiteEntity } from './site.entity';

/**
 * One occurrence of a rule's condition on a meter. At most one open (not resolved) alert per
 * (rule, meter): the partial unique index is what racing workers' INSERT ... ON CONFLICT meet.
 * The rule's name, condition and threshold are copied, so history outlives a deleted rule.
 */
@Entity({ name: 'alerts' })
@Index('alerts_open_rule_meter_key', ['ruleId', 'meterId'], {
  unique: true,
  where: `"status" <> 'resolved'`,
})
@Index('alerts_rule_id_meter_id_idx', ['ruleId', 'meterId'])
@Index('alerts_organization_id_triggered_at_idx', ['organizationId', 'triggeredAt'])
export class AlertEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ name: 'rule_id', type: 'uuid', nullable: true })
  ruleId!: string | null;

  @Column({ name: 'meter_id', type: 'uuid' })
  meterId!: string;

  @Column({ name: 'site_id', type: 'uuid' })
  siteId!: string;

  @Column({ name: 'rule_name', type: 'text' })
  ruleName!: string;

  @Column({ type: 'text' })
  condition!: AlertCondition;

  @Column({ type: 'text', nullable: true })
  parameter!: Parameter | null;

  @Column({ type: 'double precision', nullable: true })
  threshold!: number | null;

  @Column({ type: 'text' })
  severity!: AlertSeverity;

  @Column({ type: 'text', default: 'active' })
  status!: AlertStatus;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  message!: string;

  @Column({ name: 'first_value', type: 'double precision', nullable: true })
  firstValue!: number | null;

  @Column({ name: 'last_value', type: 'double precision', nullable: true })
  lastValue!: number | null;

  @Column({ type: 'integer', default: 1 })
  occurrences!: number;

  @Column({ name: 'escalation_level', type: 'integer', default: 0 })
  escalationLevel!: number;

  @Column({ name: 'triggered_at', type: 'timestamptz' })
  triggeredAt!: Date;

  @Column({ name: 'last_triggered_at', type: 'timestamptz' })
  lastTriggeredAt!: Date;

  @Column({ name: 'last_escalated_at', type: 'timestamptz', nullable: true })
  lastEscalatedAt!: Date | null;

  @Column({ name: 'last_notified_at', type: 'timestamptz', nullable: true })
  lastNotifiedAt!: Date | null;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'acknowledged_by', type: 'uuid', nullable: true })
  acknowledgedBy!: string | null;

  @Column({ name: 'acknowledge_note', type: 'text', nullable: true })
  acknowledgeNote!: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'resolved_by', type: 'uuid', nullable: true })
  resolvedBy!: string | null;

  @Column({ type: 'text', nullable: true })
  resolution!: AlertResolution | null;

  @Column({ name: 'resolve_note', type: 'text', nullable: true })
  resolveNote!: string | null;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'alerts_organization_id_fkey' })
  organization?: OrganizationEntity;

  @ManyToOne(() => AlertRuleEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'rule_id', foreignKeyConstraintName: 'alerts_rule_id_fkey' })
  rule?: AlertRuleEntity;

  @ManyToOne(() => MeterEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'meter_id', foreignKeyConstraintName: 'alerts_meter_id_fkey' })
  meter?: MeterEntity;

  @ManyToOne(() => SiteEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'alerts_site_id_fkey' })
  site?: SiteEntity;
}
