import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Append-only audit trail. */
@Entity({ name: 'events' })
@Index('events_organization_id_occurred_at_idx', ['organizationId', 'occurredAt'])
export class EventEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Null only for events that cannot be tied to an organization (an unknown login email). */
  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId!: string | null;

  @Column({ type: 'text' })
  type!: string;

  @Column({ name: 'actor_type', type: 'text' })
  actorType!: 'user' | 'device' | 'system';

  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId!: string | null;

  @Column({ name: 'subject_type', type: 'text', nullable: true })
  subjectType!: string | null;

  @Column({ name: 'subject_id', type: 'text', nullable: true })
  subjectId!: string | null;

  @Column({ type: 'text', nullable: true })
  ip!: string | null;

  @Column({ type: 'jsonb', default: {} })
  data!: Record<string, unknown>;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;
}
