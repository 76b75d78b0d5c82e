import type { TicketPriority, TicketStatus } from '@gridwatch/contracts';
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
import { AlertEntity } from './alert.entity';
import { MeterEntity } from './meter.entity';
import { OrganizationEntity } from './organization.entity';
import { UserEntity } from './user.entity';

/** A support ticket; `number` counts per organization (shown as GW-<number>). */
@Entity({ name: 'tickets' })
@Index('tickets_organization_id_number_key', ['organizationId', 'number'], { unique: true })
@Index('tickets_organization_id_status_idx', ['organizationId', 'status'])
@Index('tickets_assignee_id_idx', ['assigneeId'])
@Index('tickets_meter_id_idx', ['meterId'])
/** One ticket per alert: opening a ticket from an alert twice answers the first. */
@Index('tickets_alert_id_key', ['alertId'], { unique: true, where: '"alert_id" IS NOT NULL' })
export class TicketEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ type: 'integer' })
  number!: number;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ type: 'text' })
  priority!: TicketPriority;

  @Column({ type: 'text', default: 'open' })
  status!: TicketStatus;

  @Column({ name: 'creator_id', type: 'uuid' })
  creatorId!: string;

  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId!: string | null;

  @Column({ name: 'meter_id', type: 'uuid', nullable: true })
  meterId!: string | null;

  /** The alert it was opened from (`POST /alerts/{id}/ticket`). */
  @Column({ name: 'alert_id', type: 'uuid', nullable: true })
  alertId!: string | null;

  @Column({ name: 'first_response_due_at', type: 'timestamptz' })
  firstResponseDueAt!: Date;

  @Column({ name: 'resolution_due_at', type: 'timestamptz' })
  resolutionDueAt!: Date;

  @Column({ name: 'first_response_at', type: 'timestamptz', nullable: true })
  firstResponseAt!: Date | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'tickets_organization_id_fkey' })
  organization?: OrganizationEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'creator_id', foreignKeyConstraintName: 'tickets_creator_id_fkey' })
  creator?: UserEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'assignee_id', foreignKeyConstraintName: 'tickets_assignee_id_fkey' })
  assignee?: UserEntity | null;

  @ManyToOne(() => MeterEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'meter_id', foreignKeyConstraintName: 'tickets_meter_id_fkey' })
  meter?: MeterEntity | null;

  @ManyToOne(() => AlertEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'tickets_alert_id_fkey' })
  alert?: AlertEntity | null;

  /** Set by the application (the injectable clock), so SLA due times and tests agree. */
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
