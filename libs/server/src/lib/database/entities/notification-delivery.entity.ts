import type {
  AlertNotificationEvent,
  DeliveryStatus,
  NotificationChannel,
} from '@gridwatch/contracts';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { AlertEntity } from './alert.entity';

/** The delivery log: one row per notification to one target on one channel, with its tries. */
@Entity({ name: 'notification_deliveries' })
@Index('notification_deliveries_alert_id_idx', ['alertId'])
@Index('notification_deliveries_fan_out_key', ['fanOutId', 'channel', 'target'], { unique: true })
export class NotificationDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ name: 'alert_id', type: 'uuid' })
  alertId!: string;

  /** The fan-out job that made it: a re-run fan-out finds its deliveries instead of adding more. */
  @Column({ name: 'fan_out_id', type: 'text' })
  fanOutId!: string;

  @Column({ type: 'text' })
  channel!: NotificationChannel;

  @Column({ type: 'text' })
  event!: AlertNotificationEvent;

  /** A user id (in-app), an e-mail address or a webhook URL. */
  @Column({ type: 'text' })
  target!: string;

  @Column({ type: 'text', default: 'pending' })
  status!: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @ManyToOne(() => AlertEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'alert_id',
    foreignKeyConstraintName: 'notification_deliveries_alert_id_fkey',
  })
  alert?: AlertEntity;
}
