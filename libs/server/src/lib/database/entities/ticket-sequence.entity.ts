import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrganizationEntity } from './organization.entity';

/** The last ticket number handed out per organization (one atomic upsert per new ticket). */
@Entity({ name: 'ticket_sequences' })
export class TicketSequenceEntity {
  @PrimaryColumn({
    name: 'organization_id',
    type: 'uuid',
    primaryKeyConstraintName: 'ticket_sequences_pkey',
  })
  organizationId!: string;

  @Column({ name: 'last_number', type: 'integer' })
  lastNumber!: number;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'organization_id',
    foreignKeyConstraintName: 'ticket_sequences_organization_id_fkey',
  })
  organization?: OrganizationEntity;
}
