import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { TICKET_PRIORITIES, type TicketSlaPolicy } from '@gridwatch/contracts';
import { DEFAULT_TICKET_SLA } from '@gridwatch/domain';
import { EventRecorder, OrganizationEntity, ValidationFailed } from '@gridwatch/server';
import type { RequestActor } from '../auth/authenticated-user';

/** Where the policy lives inside `organizations.settings`. */
const SETTINGS_KEY = 'ticketSla';

/**
 * An organization's SLA targets per priority: the defaults until `settings:write` changes them.
 * A change applies to tickets created or re-prioritised afterwards.
 */
@Injectable()
export class TicketSlaService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventRecorder,
  ) {}

  async policy(
    organizationId: string,
    manager: EntityManager = this.db.manager,
  ): Promise<TicketSlaPolicy> {
    const organization = await manager.findOneBy(OrganizationEntity, { id: organizationId });
    const stored = organization?.settings[SETTINGS_KEY] as Partial<TicketSlaPolicy> | undefined;
    return { ...DEFAULT_TICKET_SLA, ...(stored ?? {}) };
  }

  async update(actor: RequestActor, policy: TicketSlaPolicy): Promise<TicketSlaPolicy> {
    const organizationId = actor.user.organizationId;
    const unordered = TICKET_PRIORITIES.filter(
      (priority) => policy[priority].firstResponseMinutes > policy[priority].resolutionMinutes,
    );
    if (unordered.length > 0) {
      throw new ValidationFailed(
        'The first response cannot be due after the resolution',
        unordered.map((priority) => ({
          field: priority,
          messages: ['firstResponseMinutes must not exceed resolutionMinutes'],
        })),
      );
    }
    const stored = Object.fromEntries(
      TICKET_PRIORITIES.map((priority) => [
        priority,
        {
          firstResponseMinutes: policy[priority].firstResponseMinutes,
          resolutionMinutes: policy[priority].resolutionMinutes,
        },
      ]),
    ) as TicketSlaPolicy;
    const before = await this.policy(organizationId);
    await this.db.query(
      `UPDATE organizations SET settings = settings || jsonb_build_object($2::text, $3::jsonb),
       updated_at = now() WHERE id = $1`,
      [organizationId, SETTINGS_KEY, JSON.stringify(stored)],
    );
    await this.events.record({
      organizationId,
      type: 'settings.ticket_sla_changed',
      actor,
      subject: { type: 'organization', id: organizationId },
      data: { before, after: stored },
    });
    return stored;
  }
}
