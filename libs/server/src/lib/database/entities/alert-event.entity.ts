import type { AlertEventKind } from '@gridwatch/contracts';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AlertEntity } from './alert.entity';

/** An alert's timeline: triggered, repeated, escalated, acknowledged, resolved, notifications. */
@Entity({ name: 'alert_events' })
@Index('alert_events_alert_id_at_idx', ['alertId', 'at'])
export class AlertEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'alert_id', type: 'uuid' })
  alertId!: string;

  @Column({ type: 'text' })
  kind!: AlertEventKind;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  @Column({ type: 'jsonb', default: {} })
  data!: Record<string, unknown>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  @ManyToOne(() => AlertEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'alert_events_alert_id_fkey' })
  alert?: AlertEntity;
}
