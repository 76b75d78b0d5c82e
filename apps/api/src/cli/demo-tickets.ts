import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { TicketPriority, TicketStatus } from '@gridwatch/contracts';
import { DEFAULT_TICKET_SLA, ticketDueTimes } from '@gridwatch/domain';
import {
  MeterEntity,
  OrganizationEntity,
  TicketEntity,
  TicketMessageEntity,
  TicketSnapshotEntity,
  UserEntity,
} from '@gridwatch/server';
import { TicketSnapshotsRepository } from '../modules/tickets/ticket-snapshots.repository';
import { TicketsRepository } from '../modules/tickets/tickets.repository';
import { DEMO_EMAIL_DOMAIN } from './demo-fleet';

interface DemoTicket {
  subject: string;
  description: string;
  priority: TicketPriority;
  status: TicketStatus;
  creator: 'owner' | 'operator';
  assignee: 'support' | null;
  meterName: string | null;
  /** Minutes before now the ticket was opened. */
  openedMinutesAgo: number;
  messages: Array<{ from: 'owner' | 'operator' | 'support'; body: string; internal?: boolean }>;
  snapshot: boolean;
}

const DEMO_TICKETS: DemoTicket[] = [
  {
    subject: 'Office heaters read zero since this morning',
    description: 'The heaters are on (the office is warm) but the dashboard shows 0 W.',
    priority: 'high',
    status: 'in_progress',
    creator: 'operator',
    assignee: 'support',
    meterName: 'Office heaters',
    openedMinutesAgo: 95,
    messages: [
      { from: 'operator', body: 'Started around 07:30. Nothing changed on site as far as I know.' },
      { from: 'support', body: 'Thanks, looking at it now. I captured a snapshot of the meter.' },
      {
        from: 'support',
        body: 'Gateway signal is weak; probably a loose CT clamp or a flaky link.',
        internal: true,
      },
      { from: 'support', body: 'Could someone check the CT clamp on the heater circuit?' },
    ],
    snapshot: true,
  },
  {
    subject: 'Monthly CSV export for the New York site',
    description: 'Finance needs the monthly consumption of every NYC meter as CSV.',
    priority: 'low',
    status: 'open',
    creator: 'owner',
    assignee: null,
    meterName: null,
    openedMinutesAgo: 30,
    messages: [{ from: 'owner', body: 'Any format finance can open in a spreadsheet is fine.' }],
    snapshot: false,
  },
];

/** The demo's two tickets with a short conversation and a snapshot; seeded once. */
@Injectable()
export class DemoTickets {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tickets: TicketsRepository,
    private readonly snapshots: TicketSnapshotsRepository,
  ) {}

  async seed(organization: OrganizationEntity): Promise<void> {
    const users = await this.db
      .getRepository(UserEntity)
      .findBy({ organizationId: organization.id });
    const byRole = (role: string) => {
      const user = users.find((candidate) => candidate.email === `${role}@${DEMO_EMAIL_DOMAIN}`);
      if (!user) throw new Error(`the demo ${role} is missing`);
      return user;
    };
    for (const spec of DEMO_TICKETS) {
      await this.db.transaction(async (manager) => {
        const exists = await manager.existsBy(TicketEntity, {
          organizationId: organization.id,
          subject: spec.subject,
        });
        if (!exists) await this.ticket(manager, organization, spec, byRole);
      });
    }
  }

  private async ticket(
    manager: EntityManager,
    organization: OrganizationEntity,
    spec: DemoTicket,
    byRole: (role: string) => UserEntity,
  ): Promise<void> {
    const openedAt = new Date(Date.now() - spec.openedMinutesAgo * 60_000);
    const meter = spec.meterName
      ? await manager.findOneBy(MeterEntity, {
          organizationId: organization.id,
          name: spec.meterName,
        })
      : null;
    const ticket = await manager.save(
      manager.create(TicketEntity, {
        organizationId: organization.id,
        number: await this.tickets.nextNumber(manager, organization.id),
        subject: spec.subject,
        description: spec.description,
        priority: spec.priority,
        status: spec.status,
        creatorId: byRole(spec.creator).id,
        assigneeId: spec.assignee ? byRole(spec.assignee).id : null,
        meterId: meter?.id ?? null,
        alertId: null,
        ...ticketDueTimes(DEFAULT_TICKET_SLA, spec.priority, openedAt),
        createdAt: openedAt,
        updatedAt: openedAt,
      }),
    );
    let at = openedAt.getTime();
    for (const message of spec.messages) {
      at += 7 * 60_000;
      const author = byRole(message.from);
      await manager.insert(TicketMessageEntity, {
        organizationId: organization.id,
        ticketId: ticket.id,
        authorId: author.id,
        body: message.body,
        internal: message.internal ?? false,
        createdAt: new Date(at),
      });
      const answers = !message.internal && author.id !== ticket.creatorId;
      if (answers && ticket.firstResponseAt === null) {
        ticket.firstResponseAt = new Date(at);
        await manager.update(TicketEntity, ticket.id, { firstResponseAt: ticket.firstResponseAt });
      }
    }
    if (spec.snapshot && meter) {
      const capturedAt = new Date();
      const document = await this.snapshots.document(organization.id, meter.id, capturedAt);
      await manager.save(TicketSnapshotEntity, {
        organizationId: organization.id,
        ticketId: ticket.id,
        meterId: meter.id,
        version: 1,
        document,
        sizeBytes: Buffer.byteLength(JSON.stringify(document)),
        capturedBy: byRole('support').id,
        capturedAt,
      });
    }
  }
}
