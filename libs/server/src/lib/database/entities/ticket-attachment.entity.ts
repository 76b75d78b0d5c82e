import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { TicketMessageEntity } from './ticket-message.entity';

/** A file on a ticket message; its bytes live under ATTACHMENTS_DIR named by `sha256`. */
@Entity({ name: 'ticket_attachments' })
@Index('ticket_attachments_message_id_idx', ['messageId'])
@Index('ticket_attachments_ticket_id_idx', ['ticketId'])
export class TicketAttachmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId!: string;

  @Column({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  /** For display and the download's file name only. */
  @Column({ name: 'file_name', type: 'text' })
  fileName!: string;

  /** Judged from the bytes. */
  @Column({ name: 'content_type', type: 'text' })
  contentType!: string;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes!: number;

  @Column({ type: 'text' })
  sha256!: string;

  @ManyToOne(() => TicketMessageEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'message_id',
    foreignKeyConstraintName: 'ticket_attachments_message_id_fkey',
  })
  message?: TicketMessageEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
