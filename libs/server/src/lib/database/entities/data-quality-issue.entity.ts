import type { DataQualityKind, DataQualitySeverity } from '@gridwatch/contracts';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A detected problem with a meter's data (or a gateway's, meter null); open until resolved_at is
 * set. At most one open issue per meter, kind and parameter (per gateway, kind and parameter for
 * gateway issues): partial unique expression indexes of migration DataQualityOpenIssueKeys, which
 * TypeORM cannot describe, so it is told to leave them alone.
 */
@Entity({ name: 'data_quality_issues' })
@Index('data_quality_issues_open_meter_key', { synchronize: false })
@Index('data_quality_issues_open_gateway_key', { synchronize: false })
@Index('data_quality_issues_organization_id_detected_at_idx', ['organizationId', 'detectedAt'])
@Index('data_quality_issues_meter_id_kind_idx', ['meterId', 'kind'])
export class DataQualityIssueEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ name: 'meter_id', type: 'uuid', nullable: true })
  meterId!: string | null;

  @Column({ name: 'gateway_id', type: 'uuid', nullable: true })
  gatewayId!: string | null;

  @Column({ type: 'text' })
  kind!: DataQualityKind;

  @Column({ type: 'text', default: 'warning' })
  severity!: DataQualitySeverity;

  @Column({ type: 'text', nullable: true })
  parameter!: string | null;

  @Column({ type: 'text' })
  message!: string;

  @Column({ type: 'jsonb', default: {} })
  details!: Record<string, unknown>;

  @Column({ name: 'detected_at', type: 'timestamptz', default: () => 'now()' })
  detectedAt!: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;
}
