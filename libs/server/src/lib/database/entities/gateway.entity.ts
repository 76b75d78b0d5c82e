import { SiteEntity } from './site.entity';
import { OrganizationEntity } from './organization.entity';
import type { GatewayProtocol, GatewayStatus } from '@gridwatch/contracts';
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

@Entity({ name: 'gateways' })
@Index('gateways_organization_id_site_id_idx', ['organizationId', 'siteId'])
export class GatewayEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ name: 'site_id', type: 'uuid' })
  siteId!: string;

  /** Globally unique: it is what the gateway sends as X-Device-ID. */
  @Index('gateways_serial_number_key', { unique: true })
  @Column({ name: 'serial_number', type: 'text' })
  serialNumber!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  protocol!: GatewayProtocol;

  @Column({ type: 'text', nullable: true })
  host!: string | null;

  @Column({ type: 'integer', nullable: true })
  port!: number | null;

  @Column({ name: 'poll_interval_seconds', type: 'integer', default: 1800 })
  pollIntervalSeconds!: number;

  @Column({ type: 'text', default: 'unknown' })
  status!: GatewayStatus;

  @Column({ name: 'last_seen_at', type: 'timestamptz', nullable: true })
  lastSeenAt!: Date | null;

  @Column({ name: 'missed_pings', type: 'integer', default: 0 })
  missedPings!: number;

  /** Latest connection details from pings: IP, signal strength, SIM, CPU/memory, GNSS. */
  @Column({ type: 'jsonb', default: {} })
  connection!: Record<string, unknown>;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'organization_id',
    foreignKeyConstraintName: 'gateways_organization_id_fkey',
  })
  organization?: OrganizationEntity;
  @ManyToOne(() => SiteEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'gateways_site_id_fkey' })
  site?: SiteEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
