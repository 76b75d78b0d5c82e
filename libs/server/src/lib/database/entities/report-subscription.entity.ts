import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { ReportRunStatus } from '@gridwatch/contracts';
import { SiteEntity } from './site.entity';

/** A site report e-mailed on schedule: weekly on Monday 07:00 site time, monthly on the 1st. */
@Entity({ name: 'report_subscriptions' })
@Index('report_subscriptions_site_id_idx', ['siteId'])
export class ReportSubscriptionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'report_subscriptions_pkey' })
  id!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ name: 'site_id', type: 'uuid' })
  siteId!: string;

  @Column({ type: 'text' })
  period!: 'week' | 'month';

  @Column({ type: 'text', array: true })
  recipients!: string[];

  /** Start of the last report period claimed for sending: the scheduler's exactly-once guard. */
  @Column({ name: 'last_period_start', type: 'timestamptz', nullable: true })
  lastPeriodStart!: Date | null;

  /** What became of the last period claimed: queued, sent, skipped or failed. */
  @Column({ name: 'last_run_status', type: 'text', nullable: true })
  lastRunStatus!: ReportRunStatus | null;

  @Column({ name: 'last_run_at', type: 'timestamptz', nullable: true })
  lastRunAt!: Date | null;

  /** Why the last report was skipped or failed (e.g. no SMTP server configured). */
  @Column({ name: 'last_run_reason', type: 'text', nullable: true })
  lastRunReason!: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => SiteEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'report_subscriptions_site_id_fkey' })
  site?: SiteEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
