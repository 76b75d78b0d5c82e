import type { TariffDocument } from '@gridwatch/contracts';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { SiteEntity } from './site.entity';

/**
 * Every tariff document a site was given, newest in force: a PUT appends, so earlier prices stay
 * on record. The document's own periods say which prices applied on which dates.
 */
@Entity({ name: 'site_tariffs' })
@Index('site_tariffs_site_id_created_at_idx', ['siteId', 'createdAt'])
export class SiteTariffEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'site_tariffs_pkey' })
  id!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ name: 'site_id', type: 'uuid' })
  siteId!: string;

  @Column({ type: 'jsonb' })
  document!: TariffDocument;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => SiteEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'site_tariffs_site_id_fkey' })
  site?: SiteEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
