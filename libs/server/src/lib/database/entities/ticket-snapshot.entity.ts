import type { DeviceSnapshotDocument } from '@gridwatch/contracts';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TicketEntity } from './ticket.entity';

/** A meter's state captured for a ticket; versions count 1, 2, ... per ticket. */
@Entity({ name: 'ticket_snapshots' })
@Index('ticket_snapshots_ticket_id_version_key', ['ticketId', 'version'], { unique: true })
export class TicketSnapshotEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId!: string;

  /** No foreign key: a snapshot is history and outlives its meter. */
  @Column({ name: 'meter_id', type: 'uuid' })
  meterId!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'jsonb' })
  document!: DeviceSnapshotDocument;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes!: number;

  @Column({ name: 'captured_by', type: 'uuid' })
  capturedBy!: string;

  @Column({ name: 'captured_at', type: 'timestamptz' })
  capturedAt!: Date;

  @ManyToOne(() => TicketEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id', foreignKeyConstraintName: 'ticket_snapshots_ticket_id_fkey' })
  ticket?: TicketEntity;
}
