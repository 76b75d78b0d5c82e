import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Job, Queue } from 'bull';
import { Repository } from 'typeorm';
import { QueueName, type ReportRunStatus } from '@gridwatch/contracts';
import { APP_CONFIG, type AppConfig, ReportSubscriptionEntity } from '@gridwatch/server';
import { NotificationJobName, type ReportJob } from '../notifications/notification.jobs';
import { DeliverySkipped, EmailSender } from '../notifications/notification-senders';
import { reportCsv, reportPdf, reportSummary } from './report-render';
import { ReportsService } from './reports.service';

/**
 * Consumes the notification queue's report jobs: builds the site's report and e-mails it. No SMTP
 * server configured: the period is marked skipped with the reason and not tried again; any other
 * failure is retried by the queue with backoff, then marked failed. Runs unless PROCESS_MODE=api.
 */
@Injectable()
export class ReportDeliveryProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger('Reports');

  constructor(
    @InjectQueue(QueueName.Notifications) private readonly queue: Queue,
    @InjectRepository(ReportSubscriptionEntity)
    private readonly subscriptions: Repository<ReportSubscriptionEntity>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reports: ReportsService,
    private readonly mailer: EmailSender,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.processMode === 'api') return;
    this.queue.on('failed', (job: Job, error: Error) => void this.onFailed(job, error));
    void this.queue.process(NotificationJobName.Report, 1, (job: Job<ReportJob>) =>
      this.deliver(job.data),
    );
  }

  /** Sends one report period; throws to have the queue try again. */
  async deliver(job: ReportJob): Promise<ReportRunStatus> {
    const subscription = await this.subscriptions.findOneBy({ id: job.subscriptionId });
    if (!subscription) return 'skipped';
    try {
      await this.send(subscription, job);
      return await this.record(job, 'sent', null);
    } catch (error) {
      if (error instanceof DeliverySkipped) return this.record(job, 'skipped', error.message);
      await this.record(job, 'retrying', (error as Error).message);
      throw error;
    }
  }

  private async send(subscription: ReportSubscriptionEntity, job: ReportJob): Promise<void> {
    const report = await this.reports.build(
      subscription.organizationId,
      subscription.siteId,
      subscription.period,
      job,
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

  /** The outcome, on the subscription, while it is still the period this job was for. */
  private async record(
    job: ReportJob,
    status: ReportRunStatus,
    reason: string | null,
  ): Promise<ReportRunStatus> {
    await this.subscriptions.update(
      { id: job.subscriptionId, lastPeriodStart: new Date(job.start) },
      { lastRunStatus: status, lastRunAt: new Date(), lastRunReason: reason },
    );
    return status;
  }

  private async onFailed(job: Job, error: Error): Promise<void> {
    if (job.name !== NotificationJobName.Report) return;
    if (job.attemptsMade < (job.opts.attempts ?? 1)) return;
    this.logger.warn(`report ${(job.data as ReportJob).subscriptionId} failed: ${error.message}`);
    await this.record(job.data as ReportJob, 'failed', error.message);
  }
}
