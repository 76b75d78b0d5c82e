import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TicketEntity } from './ticket.entity';
import { UserEntity } from './user.entity';

/** How far a user has read a ticket's conversation (unread counts are messages after it). */
@Entity({ name: 'ticket_read_markers' })
export class TicketReadMarkerEntity {
  @PrimaryColumn({
    name: 'ticket_id',
    type: 'uuid',
    primaryKeyConstraintName: 'ticket_read_markers_pkey',
  })
  ticketId!: string;

  @PrimaryColumn({
    name: 'user_id',
    type: 'uuid',
    primaryKeyConstraintName: 'ticket_read_markers_pkey',
  })
  userId!: string;

  @Column({ name: 'read_at', type: 'timestamptz' })
  readAt!: Date;

  @ManyToOne(() => TicketEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id', foreignKeyConstraintName: 'ticket_read_markers_ticket_id_fkey' })
  ticket?: TicketEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'ticket_read_markers_user_id_fkey' })
  user?: UserEntity;
}
