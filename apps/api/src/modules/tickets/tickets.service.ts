import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import {
  AlertEventKind,
  Role,
  Scope,
  TICKET_NUMBER_PREFIX,
  TICKET_SUBJECT_MAX_LENGTH,
  TicketStatus,
  type Page,
  type TicketView,
} from '@gridwatch/contracts';
import {
  TICKET_PRIORITY_BY_ALERT_SEVERITY,
  allowedTicketTransitions,
  canTransitionTicket,
  isTicketOverdue,
  ticketDueTimes,
} from '@gridwatch/domain';
import {
  AlertEntity,
  AlertEventEntity,
  Conflict,
  DomainException,
  MeterEntity,
  NotFound,
  TicketEntity,
  UserEntity,
} from '@gridwatch/server';
import { Clock } from '../../common/clock';
import { paginate } from '../../common/pagination';
import { containsPattern } from '../../common/postgres';
import type { AuthenticatedUser, RequestActor } from '../auth/authenticated-user';
import type { ChangeTicketStatusDto } from './dto/change-ticket-status.dto';
import type { CreateTicketDto } from './dto/create-ticket.dto';
import type { ListTicketsDto } from './dto/list-tickets.dto';
import type { OpenAlertTicketDto } from './dto/open-alert-ticket.dto';
import type { UpdateTicketDto } from './dto/update-ticket.dto';
import { TicketEvents } from './tickets.events';
import { TicketsRepository } from './tickets.repository';
import { TicketSlaService } from './ticket-sla.service';

/** Roles that may be assigned a ticket and whose answer counts as the first response. */
export const TICKET_STAFF_ROLES: readonly Role[] = [Role.Owner, Role.Operator, Role.Support];

const SORT_COLUMNS = {
  createdAt: 'ticket.created_at',
  updatedAt: 'ticket.updated_at',
  number: 'ticket.number',
  priority: `CASE ticket.priority WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'normal' THEN 2 ELSE 1 END`,
  dueAt:
    'CASE WHEN ticket.first_response_at IS NULL THEN ticket.first_response_due_at ELSE ticket.resolution_due_at END',
} as const;

/** Whether the caller sees internal notes: users who may write tickets (owner, operator, support). */
export function seesInternalNotes(user: AuthenticatedUser): boolean {
  return user.scopes.includes(Scope.TicketsWrite);
}

/** Tickets of the caller's organization: numbering, SLA due times, assignee rules, status machine. */
@Injectable()
export class TicketsService {
  constructor(
    @InjectRepository(TicketEntity) private readonly tickets: Repository<TicketEntity>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly repository: TicketsRepository,
    private readonly sla: TicketSlaService,
    private readonly events: TicketEvents,
    private readonly clock: Clock,
  ) {}

  async list(user: AuthenticatedUser, query: ListTicketsDto): Promise<Page<TicketView>> {
    const qb = this.tickets
      .createQueryBuilder('ticket')
      .where('ticket.organization_id = :organizationId', { organizationId: user.organizationId });
    if (query.status) qb.andWhere('ticket.status = :status', { status: query.status });
    if (query.priority) qb.andWhere('ticket.priority = :priority', { priority: query.priority });
    if (query.meterId) qb.andWhere('ticket.meter_id = :meterId', { meterId: query.meterId });
    if (query.assignee === 'none') qb.andWhere('ticket.assignee_id IS NULL');
    else if (query.assignee) {
      const assigneeId = query.assignee === 'me' ? user.id : query.assignee.toLowerCase();
      qb.andWhere('ticket.assignee_id = :assigneeId', { assigneeId });
    }
    if (query.q) {
      const number = /^(gw-)?(\d+)$/i.exec(query.q.trim())?.[2];
      qb.andWhere(
        `(ticket.subject ILIKE :q OR ticket.description ILIKE :q${number ? ' OR ticket.number = :number' : ''})`,
        { q: containsPattern(query.q), number: number ? Number(number) : undefined },
      );
    }
    qb.orderBy(SORT_COLUMNS[query.sort], query.order === 'desc' ? 'DESC' : 'ASC').addOrderBy(
      'ticket.id',
    );
    const page = await paginate(qb, query, (ticket) => ticket);
    return { ...page, items: await this.views(user, page.items) };
  }

  async get(user: AuthenticatedUser, id: string): Promise<TicketView> {
    const [view] = await this.views(user, [await this.find(user.organizationId, id)]);
    return view as TicketView;
  }

  /** The ticket, or 404 when it is not the organization's. */
  async find(
    organizationId: string,
    id: string,
    manager: EntityManager = this.db.manager,
  ): Promise<TicketEntity> {
    const ticket = await manager.findOneBy(TicketEntity, { id, organizationId });
    if (!ticket) throw new NotFound('ticket_not_found', 'Ticket');
    return ticket;
  }

  async create(actor: RequestActor, dto: CreateTicketDto): Promise<TicketView> {
    const ticket = await this.db.transaction(async (manager) => {
      if (dto.meterId) await this.assertMeter(manager, actor.user.organizationId, dto.meterId);
      return this.insert(manager, actor, { ...dto, meterId: dto.meterId ?? null, alertId: null });
    });
    const view = this.toView(ticket, 0);
    await this.events.created(actor, view);
    return view;
  }

  /**
   * Opens the alert's ticket: its meter, subject and description from the alert, priority from
   * its severity unless given; noted in the alert's timeline. One ticket per alert: a second
   * call is 409 `alert_ticket_exists` naming the first.
   */
  async openFromAlert(
    actor: RequestActor,
    alertId: string,
    dto: OpenAlertTicketDto,
  ): Promise<TicketView> {
    const organizationId = actor.user.organizationId;
    const ticket = await this.db.transaction(async (manager) => {
      // The alert row lock serialises two simultaneous calls (the unique index is the backstop).
      const alert = await manager.findOne(AlertEntity, {
        where: { id: alertId, organizationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!alert) throw new NotFound('alert_not_found', 'Alert');
      const existing = await manager.findOneBy(TicketEntity, { alertId, organizationId });
      if (existing) {
        const number = `${TICKET_NUMBER_PREFIX}${existing.number}`;
        throw new Conflict('alert_ticket_exists', `The alert already has ticket ${number}`, {
          ticketId: existing.id,
          number,
        });
      }
      const ticket = await this.insert(manager, actor, {
        subject: dto.subject ?? alert.title.slice(0, TICKET_SUBJECT_MAX_LENGTH),
        description: alertTicketDescription(alert),
        priority: dto.priority ?? TICKET_PRIORITY_BY_ALERT_SEVERITY[alert.severity],
        assigneeId: dto.assigneeId,
        meterId: alert.meterId,
        alertId: alert.id,
      });
      await manager.insert(AlertEventEntity, {
        alertId: alert.id,
        kind: AlertEventKind.TicketOpened,
        userId: actor.user.id,
        data: { ticketId: ticket.id, number: `${TICKET_NUMBER_PREFIX}${ticket.number}` },
        at: ticket.createdAt,
      });
      return ticket;
    });
    const view = this.toView(ticket, 0);
    await this.events.created(actor, view);
    return view;
  }

  /** Numbers and stores a new open ticket with due times from its priority. */
  private async insert(
    manager: EntityManager,
    actor: RequestActor,
    fields: Omit<CreateTicketDto, 'meterId'> & { meterId: string | null; alertId: string | null },
  ): Promise<TicketEntity> {
    const organizationId = actor.user.organizationId;
    const priority = fields.priority ?? 'normal';
    const now = this.clock.now();
    if (fields.assigneeId) await this.assertAssignee(manager, organizationId, fields.assigneeId);
    const policy = await this.sla.policy(organizationId, manager);
    const entity = manager.create(TicketEntity, {
      organizationId,
      number: await this.repository.nextNumber(manager, organizationId),
      subject: fields.subject,
      description: fields.description ?? '',
      priority,
      status: TicketStatus.Open,
      creatorId: actor.user.id,
      assigneeId: fields.assigneeId ?? null,
      meterId: fields.meterId,
      alertId: fields.alertId,
      ...ticketDueTimes(policy, priority, now),
      createdAt: now,
      updatedAt: now,
    });
    return manager.save(entity);
  }

  async update(actor: RequestActor, id: string, dto: UpdateTicketDto): Promise<TicketView> {
    const organizationId = actor.user.organizationId;
    const changed = Object.keys(dto).filter(
      (key) => dto[key as keyof UpdateTicketDto] !== undefined,
    );
    const { ticket, previousAssignee } = await this.db.transaction(async (manager) => {
      const ticket = await this.find(organizationId, id, manager);
      const previousAssignee = ticket.assigneeId;
      if (dto.assigneeId) await this.assertAssignee(manager, organizationId, dto.assigneeId);
      if (dto.meterId) await this.assertMeter(manager, organizationId, dto.meterId);
      if (dto.subject !== undefined) ticket.subject = dto.subject;
      if (dto.description !== undefined) ticket.description = dto.description;
      if (dto.assigneeId !== undefined) ticket.assigneeId = dto.assigneeId;
      if (dto.meterId !== undefined) ticket.meterId = dto.meterId;
      if (dto.priority !== undefined && dto.priority !== ticket.priority) {
        ticket.priority = dto.priority;
        const policy = await this.sla.policy(organizationId, manager);
        Object.assign(ticket, ticketDueTimes(policy, dto.priority, ticket.createdAt));
      }
      ticket.updatedAt = this.clock.now();
      return { ticket: await manager.save(ticket), previousAssignee };
    });
    const view = await this.get(actor.user, ticket.id);
    if (changed.length > 0) await this.events.updated(actor, view, changed);
    if (ticket.assigneeId !== previousAssignee) {
      await this.events.assigned(actor, view, previousAssignee);
    }
    return view;
  }

  async changeStatus(
    actor: RequestActor,
    id: string,
    dto: ChangeTicketStatusDto,
  ): Promise<TicketView> {
    const organizationId = actor.user.organizationId;
    const { from } = await this.db.transaction(async (manager) => {
      const ticket = await manager.findOne(TicketEntity, {
        where: { id, organizationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!ticket) throw new NotFound('ticket_not_found', 'Ticket');
      const from = ticket.status;
      if (!canTransitionTicket(from, dto.status)) {
        throw new Conflict(
          'illegal_status_transition',
          `A ticket cannot go from ${from} to ${dto.status}`,
          { from, to: dto.status, allowed: allowedTicketTransitions(from) },
        );
      }
      const now = this.clock.now();
      ticket.status = dto.status;
      if (dto.status === TicketStatus.Resolved) ticket.resolvedAt = now;
      if (dto.status === TicketStatus.Open) ticket.resolvedAt = null;
      if (dto.status === TicketStatus.Closed) ticket.closedAt = now;
      ticket.updatedAt = now;
      await manager.save(ticket);
      return { from };
    });
    const view = await this.get(actor.user, id);
    await this.events.statusChanged(actor, view, from, dto.note ?? null);
    return view;
  }

  /** Records the first response when a staff user other than the creator answers publicly. */
  async noteAnswer(
    manager: EntityManager,
    ticket: TicketEntity,
    author: AuthenticatedUser,
    at: Date,
  ): Promise<void> {
    if (ticket.firstResponseAt !== null || author.id === ticket.creatorId) return;
    if (!TICKET_STAFF_ROLES.includes(author.role)) return;
    await manager.query(
      `UPDATE tickets SET first_response_at = $2, updated_at = $2
       WHERE id = $1 AND first_response_at IS NULL`,
      [ticket.id, at],
    );
  }

  /** Touches the ticket so lists sorted by activity move it up. */
  async touch(manager: EntityManager, ticketId: string, at: Date): Promise<void> {
    await manager.update(TicketEntity, { id: ticketId }, { updatedAt: at });
  }

  private async views(user: AuthenticatedUser, tickets: TicketEntity[]): Promise<TicketView[]> {
    const unread = await this.repository.unreadCounts(
      user.id,
      tickets.map((ticket) => ticket.id),
      seesInternalNotes(user),
    );
    return tickets.map((ticket) => this.toView(ticket, unread.get(ticket.id) ?? 0));
  }

  private toView(ticket: TicketEntity, unreadCount: number): TicketView {
    const firstResponseSeconds =
      ticket.firstResponseAt === null
        ? null
        : Math.round((ticket.firstResponseAt.getTime() - ticket.createdAt.getTime()) / 1000);
    return {
      id: ticket.id,
      number: `${TICKET_NUMBER_PREFIX}${ticket.number}`,
      subject: ticket.subject,
      description: ticket.description,
      priority: ticket.priority,
      status: ticket.status,
      creatorId: ticket.creatorId,
      assigneeId: ticket.assigneeId,
      meterId: ticket.meterId,
      alertId: ticket.alertId,
      firstResponseDueAt: ticket.firstResponseDueAt.toISOString(),
      resolutionDueAt: ticket.resolutionDueAt.toISOString(),
      firstResponseAt: ticket.firstResponseAt?.toISOString() ?? null,
      firstResponseSeconds,
      resolvedAt: ticket.resolvedAt?.toISOString() ?? null,
      closedAt: ticket.closedAt?.toISOString() ?? null,
      overdue: isTicketOverdue(ticket, this.clock.now()),
      unreadCount,
      createdAt: ticket.createdAt.toISOString(),
      updatedAt: ticket.updatedAt.toISOString(),
    };
  }

  /** An assignee is an enabled owner, operator or support user of the same organization. */
  private async assertAssignee(
    manager: EntityManager,
    organizationId: string,
    userId: string,
  ): Promise<void> {
    const user = await manager.findOneBy(UserEntity, { id: userId, organizationId });
    if (!user || user.disabled || !TICKET_STAFF_ROLES.includes(user.role)) {
      throw new DomainException(
        'invalid_assignee',
        'The assignee must be an owner, operator or support user of this organization',
        { assigneeId: userId },
      );
    }
  }

  /** The meter must be the organization's; another's is "not found". */
  async assertMeter(
    manager: EntityManager,
    organizationId: string,
    meterId: string,
  ): Promise<void> {
    if (!(await manager.existsBy(MeterEntity, { id: meterId, organizationId }))) {
      throw new NotFound('meter_not_found', 'Meter');
    }
  }
}

/** What a ticket opened from an alert says of it. */
function alertTicketDescription(alert: AlertEntity): string {
  const lines = [
    alert.message,
    '',
    `Alert: ${alert.ruleName} (${alert.severity}), ${alert.status}`,
    `Triggered: ${alert.triggeredAt.toISOString()}`,
  ];
  if (alert.lastValue !== null) lines.push(`Latest value: ${alert.lastValue}`);
  return lines.join('\n');
}
