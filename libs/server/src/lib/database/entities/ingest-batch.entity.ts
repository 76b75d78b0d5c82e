import type { BatchFailure, BatchStatus, ReadingSource } from '@gridwatch/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One accepted ingest request and what became of it once processed. */
@Entity({ name: 'ingest_batches' })
@Index('ingest_batches_organization_id_received_at_idx', ['organizationId', 'receivedAt'])
export class IngestBatchEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ name: 'gateway_id', type: 'uuid', nullable: true })
  gatewayId!: string | null;

  @Column({ type: 'text' })
  source!: ReadingSource;

  @Column({ type: 'text', default: 'queued' })
  status!: BatchStatus;

  @Column({ type: 'integer' })
  accepted!: number;

  @Column({ type: 'integer', default: 0 })
  rejected!: number;

  @Column({ type: 'integer', default: 0 })
  processed!: number;

  @Column({ type: 'integer', default: 0 })
  duplicates!: number;

  @Column({ type: 'integer', default: 0 })
  failed!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** Readings the database refused, with the reason (the first MAX_LISTED_FAILURES). */
  @Column({ type: 'jsonb', default: [] })
  failures!: BatchFailure[];

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt!: Date | null;
}
