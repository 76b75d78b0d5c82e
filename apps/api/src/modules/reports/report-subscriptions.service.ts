import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { lastDueReport, localInstant, REPORT_HOUR } from '@gridwatch/domain';
import { DateTime } from 'luxon';
import {
  APP_CONFIG,
  type AppConfig,
  EventRecorder,
  NotFound,
  ReportSubscriptionEntity,
} from '@gridwatch/server';
import { PeriodicTask } from '../../common/periodic-task';
import type { RequestActor } from '../auth/authenticated-user';
import { SitesService } from '../devices/sites.service';
import { NotificationQueue } from '../notifications/notification.queue';
import type {
  CreateReportSubscriptionDto,
  ReportSubscriptionDto,
  ReportSubscriptionListDto,
} from './dto/site-report.dto';

const CHECK_EVERY_MS = 60_000;

/**
 * Report subscriptions and their schedule. Every minute (outside PROCESS_MODE=api) each due
 * subscription is claimed in one UPDATE on its last period, so two workers never queue it twice,
 * and its report goes to the notification queue (ReportDeliveryProcessor sends it). A period
 * that cannot be queued is released and tried on the next check.
 */
@Injectable()
export class ReportSubscriptionsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task = new PeriodicTask(
    'scheduled reports',
    CHECK_EVERY_MS,
    async () => void (await this.sendDue()),
    new Logger('Reports'),
  );

  constructor(
    @InjectRepository(ReportSubscriptionEntity)
    private readonly subscriptions: Repository<ReportSubscriptionEntity>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sites: SitesService,
    private readonly queue: NotificationQueue,
    private readonly events: EventRecorder,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.processMode !== 'api') this.task.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  async create(
    actor: RequestActor,
    dto: CreateReportSubscriptionDto,
  ): Promise<ReportSubscriptionDto> {
    const organizationId = actor.user.organizationId;
    const site = await this.sites.load(organizationId, dto.siteId);
    // The period already due when subscribing is not sent: the first report is the next one.
    const due = lastDueReport(Date.now(), site.timezone, dto.period);
    const saved = await this.subscriptions.save({
      organizationId,
      siteId: site.id,
      period: dto.period,
      recipients: dto.recipients,
      lastPeriodStart: new Date(due.start),
      createdBy: actor.user.id,
    });
    await this.events.record({
      organizationId,
      type: 'report.subscribed',
      actor,
      subject: { type: 'site', id: site.id },
      data: { period: dto.period, recipients: dto.recipients.length },
    });
    return toView(saved, site.timezone);
  }

  async list(organizationId: string): Promise<ReportSubscriptionListDto> {
    const rows = (await this.subscriptions.find({
      where: { organizationId },
      relations: { site: true },
      order: { createdAt: 'ASC' },
    })) as Array<ReportSubscriptionEntity & { site: { timezone: string } }>;
    return { items: rows.map((row) => toView(row, row.site.timezone)), total: rows.length };
  }

  async remove(organizationId: string, id: string): Promise<void> {
    const result = await this.subscriptions.delete({ id, organizationId });
    if (!result.affected) throw new NotFound('not_found', 'Report subscription');
  }

  /** Queues every subscription's report that is due at `now`; answers how many were queued. */
  async sendDue(now = Date.now()): Promise<number> {
    const rows = (await this.subscriptions.find({ relations: { site: true } })) as Array<
      ReportSubscriptionEntity & { site: { timezone: string } }
    >;
    let queued = 0;
    for (const subscription of rows) {
      const due = lastDueReport(now, subscription.site.timezone, subscription.period);
      if (subscription.lastPeriodStart && subscription.lastPeriodStart.getTime() >= due.start)
        continue;
      if (!(await this.claim(subscription, due.start))) continue;
      try {
        await this.queue.report({ subscriptionId: subscription.id, ...due });
        queued++;
      } catch (error) {
        await this.subscriptions.update(
          { id: subscription.id },
          {
            lastPeriodStart: subscription.lastPeriodStart,
            lastRunStatus: subscription.lastRunStatus,
            lastRunAt: subscription.lastRunAt,
            lastRunReason: subscription.lastRunReason,
          },
        );
        throw error;
      }
    }
    return queued;
  }

  private async claim(subscription: ReportSubscriptionEntity, start: number): Promise<boolean> {
    const result = await this.subscriptions
      .createQueryBuilder()
      .update()
      .set({
        lastPeriodStart: new Date(start),
        lastRunStatus: 'queued',
        lastRunAt: new Date(),
        lastRunReason: null,
      })
      .where('id = :id', { id: subscription.id })
      .andWhere('(last_period_start IS NULL OR last_period_start < :start)', {
        start: new Date(start),
      })
      .execute();
    return (result.affected ?? 0) > 0;
  }
}

function toView(row: ReportSubscriptionEntity, timeZone: string): ReportSubscriptionDto {
  const due = lastDueReport(Date.now(), timeZone, row.period);
  const next = DateTime.fromMillis(due.end, { zone: timeZone })
    .plus({ [`${row.period}s`]: 1 })
    .plus({ hours: REPORT_HOUR })
    .toMillis();
  return {
    id: row.id,
    siteId: row.siteId,
    period: row.period,
    recipients: row.recipients,
    nextReportAt: localInstant(next, timeZone),
    lastRun:
      row.lastRunStatus && row.lastPeriodStart
        ? {
            status: row.lastRunStatus,
            periodStart: localInstant(row.lastPeriodStart.getTime(), timeZone),
            at: row.lastRunAt?.toISOString() ?? null,
            reason: row.lastRunReason,
          }
        : null,
    createdAt: row.createdAt.toISOString(),
  };
}
