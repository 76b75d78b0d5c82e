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
import type { RequestActor } from '../auth/authenticated-user';
import { SitesService } from '../devices/sites.service';
import type {
  CreateReportSubscriptionDto,
  ReportSubscriptionDto,
  ReportSubscriptionListDto,
} from './dto/site-report.dto';
import { reportCsv, reportPdf, reportSummary } from './report-render';
import { EmailSender } from '../notifications/notification-senders';
import { ReportsService } from './reports.service';

const CHECK_EVERY_MS = 60_000;

/**
 * Report subscriptions and their schedule. Every minute (outside PROCESS_MODE=api) each due
 * subscription is claimed in one UPDATE on its last period, so two workers never send it twice;
 * a failed send releases the claim and is tried again on the next check.
 */
@Injectable()
export class ReportSubscriptionsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Reports');
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectRepository(ReportSubscriptionEntity)
    private readonly subscriptions: Repository<ReportSubscriptionEntity>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sites: SitesService,
    private readonly reports: ReportsService,
    private readonly mailer: EmailSender,
    private readonly events: EventRecorder,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.processMode === 'api') return;
    this.timer = setInterval(() => void this.sendDueSafely(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
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

  /** Sends every subscription whose report is due at `now`; answers how many went out. */
  async sendDue(now = Date.now()): Promise<number> {
    const rows = (await this.subscriptions.find({ relations: { site: true } })) as Array<
      ReportSubscriptionEntity & { site: { timezone: string } }
    >;
    let sent = 0;
    for (const subscription of rows) {
      const due = lastDueReport(now, subscription.site.timezone, subscription.period);
      if (subscription.lastPeriodStart && subscription.lastPeriodStart.getTime() >= due.start)
        continue;
      if (!(await this.claim(subscription, due.start))) continue;
      try {
        await this.send(subscription, due);
        sent++;
      } catch (error) {
        await this.subscriptions.update(
          { id: subscription.id },
          { lastPeriodStart: subscription.lastPeriodStart },
        );
        throw error;
      }
    }
    return sent;
  }

  private async claim(subscription: ReportSubscriptionEntity, start: number): Promise<boolean> {
    const result = await this.subscriptions
      .createQueryBuilder()
      .update()
      .set({ lastPeriodStart: new Date(start) })
      .where('id = :id', { id: subscription.id })
      .andWhere('(last_period_start IS NULL OR last_period_start < :start)', {
        start: new Date(start),
      })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  private async send(
    subscription: ReportSubscriptionEntity,
    range: { start: number; end: number },
  ): Promise<void> {
    const report = await this.reports.build(
      subscription.organizationId,
      subscription.siteId,
      subscription.period,
      range,
    );
    const name = `gridwatch-${report.siteName.replace(/[^A-Za-z0-9]+/g, '-')}-${report.start.slice(0, 10)}`;
    await this.mailer.send({
      to: subscription.recipients,
      subject: `GridWatch ${subscription.period}ly report: ${report.siteName}`,
      text: reportSummary(report).join('\n'),
      attachments: [
        {
          filename: `${name}.pdf`,
          content: await reportPdf(report),
          contentType: 'application/pdf',
        },
        { filename: `${name}.csv`, content: reportCsv(report), contentType: 'text/csv' },
      ],
    });
  }

  private async sendDueSafely(): Promise<void> {
    try {
      await this.sendDue();
    } catch (error) {
      this.logger.error(`scheduled reports failed: ${(error as Error).message}`);
    }
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
    createdAt: row.createdAt.toISOString(),
  };
}
