import { GatewayEntity } from './gateway.entity';
import { SiteEntity } from './site.entity';
import { OrganizationEntity } from './organization.entity';
import type { MeterKind, MeterStatus } from '@gridwatch/contracts';
import {
  Column,
  JoinColumn,
  ManyToOne,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity({ name: 'meters' })
@Index('meters_organization_id_site_id_idx', ['organizationId', 'siteId'])
@Index('meters_gateway_id_idx', ['gatewayId'])
export class MeterEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ name: 'site_id', type: 'uuid' })
  siteId!: string;

  @Column({ name: 'gateway_id', type: 'uuid', nullable: true })
  gatewayId!: string | null;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  kind!: MeterKind;

  @Column({ type: 'text', nullable: true })
  model!: string | null;

  @Column({ type: 'text', nullable: true })
  firmware!: string | null;

  @Column({ type: 'text', nullable: true })
  location!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  @Column({ type: 'jsonb', default: {} })
  metadata!: Record<string, unknown>;

  @Column({ name: 'modbus_unit_id', type: 'integer', nullable: true })
  modbusUnitId!: number | null;

  /** A built-in map name ("eastron_sdm630") or a custom map document. */
  @Column({ name: 'register_map', type: 'jsonb', nullable: true })
  registerMap!: unknown;

  /** Per-parameter plausible range overrides: {power_w: {min, max}}. */
  @Column({ name: 'range_overrides', type: 'jsonb', default: {} })
  rangeOverrides!: Record<string, { min?: number; max?: number }>;

  @Column({ name: 'heartbeat_interval_seconds', type: 'integer', default: 1800 })
  heartbeatIntervalSeconds!: number;

  @Column({ type: 'text', default: 'offline' })
  status!: MeterStatus;

  @Column({ name: 'last_seen_at', type: 'timestamptz', nullable: true })
  lastSeenAt!: Date | null;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'meters_organization_id_fkey' })
  organization?: OrganizationEntity;
  @ManyToOne(() => SiteEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'meters_site_id_fkey' })
  site?: SiteEntity;
  @ManyToOne(() => GatewayEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'gateway_id', foreignKeyConstraintName: 'meters_gateway_id_fkey' })
  gateway?: GatewayEntity | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
