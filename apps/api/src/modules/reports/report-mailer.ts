import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '@gridwatch/server';

export interface ReportMail {
  to: string[];
  subject: string;
  text: string;
  attachments: Array<{ filename: string; content: Buffer | string; contentType: string }>;
}

/** Sends mail through SMTP_URL as SMTP_FROM. */
@Injectable()
export class ReportMailer implements OnModuleDestroy {
  private readonly transport: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transport = createTransport(config.smtpUrl);
  }

  async send(mail: ReportMail): Promise<void> {
    await this.transport.sendMail({ from: this.config.smtpFrom, ...mail });
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
