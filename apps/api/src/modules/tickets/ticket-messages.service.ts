import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  TicketStatus,
  type Page,
  type TicketAttachmentView,
  type TicketMessageView,
} from '@gridwatch/contracts';
import { Conflict, TicketAttachmentEntity, TicketMessageEntity } from '@gridwatch/server';
import { Clock } from '../../common/clock';
import { paginate } from '../../common/pagination';
import type { PageQueryDto } from '../../common/page.dto';
import type { AuthenticatedUser, RequestActor } from '../auth/authenticated-user';
import type { CreateTicketMessageDto } from './dto/create-ticket-message.dto';
import { TicketEvents } from './tickets.events';
import { TicketsRepository } from './tickets.repository';
import { seesInternalNotes, TicketsService } from './tickets.service';

/** A message about to be stored, with the attachment it carries (if any). */
export interface NewMessage {
  body: string;
  internal: boolean;
  attachment?: Omit<
    TicketAttachmentEntity,
    'id' | 'organizationId' | 'ticketId' | 'messageId' | 'createdAt' | 'message'
  >;
}

/** A ticket's conversation: messages, internal notes (tickets:write only) and read markers. */
@Injectable()
export class TicketMessagesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tickets: TicketsService,
    private readonly repository: TicketsRepository,
    private readonly events: TicketEvents,
    private readonly clock: Clock,
  ) {}

  /** Oldest first; viewers never see internal notes. */
  async list(
    user: AuthenticatedUser,
    ticketId: string,
    query: PageQueryDto,
  ): Promise<Page<TicketMessageView>> {
    await this.tickets.find(user.organizationId, ticketId);
    const qb = this.db.manager
      .createQueryBuilder(TicketMessageEntity, 'message')
      .where('message.organization_id = :organizationId', { organizationId: user.organizationId })
      .andWhere('message.ticket_id = :ticketId', { ticketId });
    if (!seesInternalNotes(user)) qb.andWhere('message.internal = false');
    qb.orderBy('message.created_at', query.order === 'desc' ? 'DESC' : 'ASC').addOrderBy(
      'message.id',
      query.order === 'desc' ? 'DESC' : 'ASC',
    );
    const page = await paginate(qb, query, (message) => message);
    return { ...page, items: await this.views(page.items) };
  }

  post(actor: RequestActor, ticketId: string, dto: CreateTicketMessageDto) {
    return this.store(actor, ticketId, { body: dto.body, internal: dto.internal ?? false });
  }

  /**
   * Stores a message (and its attachment) in one transaction, records the first response when it
   * is one, then publishes it. A closed ticket takes no more messages.
   */
  async store(
    actor: RequestActor,
    ticketId: string,
    message: NewMessage,
  ): Promise<TicketMessageView> {
    const organizationId = actor.user.organizationId;
    const at = this.clock.now();
    const stored = await this.db.transaction(async (manager) => {
      const ticket = await this.tickets.find(organizationId, ticketId, manager);
      if (ticket.status === TicketStatus.Closed) {
        throw new Conflict('ticket_closed', 'A closed ticket takes no more messages', {
          status: ticket.status,
        });
      }
      const saved = await manager.save(
        manager.create(TicketMessageEntity, {
          organizationId,
          ticketId,
          authorId: actor.user.id,
          body: message.body,
          internal: message.internal,
          createdAt: at,
        }),
      );
      if (message.attachment) {
        await manager.insert(TicketAttachmentEntity, {
          ...message.attachment,
          organizationId,
          ticketId,
          messageId: saved.id,
          createdAt: at,
        });
      }
      if (!message.internal) await this.tickets.noteAnswer(manager, ticket, actor.user, at);
      else await this.tickets.touch(manager, ticket.id, at);
      return saved;
    });
    const [view] = await this.views([stored]);
    await this.events.message(actor, view as TicketMessageView);
    return view as TicketMessageView;
  }

  /** Moves the caller's read marker to now: the ticket's unread count drops to 0. */
  async markRead(user: AuthenticatedUser, ticketId: string): Promise<{ readAt: string }> {
    await this.tickets.find(user.organizationId, ticketId);
    const readAt = await this.repository.markRead(ticketId, user.id, this.clock.now());
    return { readAt: readAt.toISOString() };
  }

  private async views(
    messages: TicketMessageEntity[],
    manager: EntityManager = this.db.manager,
  ): Promise<TicketMessageView[]> {
    const attachments = messages.length
      ? await manager.find(TicketAttachmentEntity, {
          where: { messageId: In(messages.map((message) => message.id)) },
          order: { createdAt: 'ASC' },
        })
      : [];
    return messages.map((message) => ({
      id: message.id,
      ticketId: message.ticketId,
      authorId: message.authorId,
      body: message.body,
      internal: message.internal,
      attachments: attachments
        .filter((attachment) => attachment.messageId === message.id)
        .map(toAttachmentView),
      createdAt: message.createdAt.toISOString(),
    }));
  }
}

export function toAttachmentView(attachment: TicketAttachmentEntity): TicketAttachmentView {
  return {
    id: attachment.id,
    messageId: attachment.messageId,
    fileName: attachment.fileName,
    contentType: attachment.contentType,
    sizeBytes: attachment.sizeBytes,
    sha256: attachment.sha256,
    createdAt: attachment.createdAt.toISOString(),
  };
}
