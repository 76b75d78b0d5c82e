import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { WEBHOOK_EVENT_HEADER, WEBHOOK_SIGNATURE_HEADER } from '@gridwatch/contracts';
import { APP_CONFIG, type AppConfig } from '@gridwatch/server';
import { WebhookHostPolicy } from './webhook-host.policy';

/** A delivery that can never succeed as it stands (4xx, refused target): not retried. */
export class PermanentDeliveryFailure extends Error {}

/** A delivery not attempted, and why (no SMTP server configured). */
export class DeliverySkipped extends Error {}

export interface EmailMessage {
  to: string | string[];
  subject: string;
  text: string;
  attachments?: Array<{ filename: string; content: Buffer | string; contentType: string }>;
}

/**
 * E-mail over SMTP (nodemailer), for alert notifications and scheduled reports alike; without
 * SMTP_URL every e-mail is skipped with the reason.
 */
@Injectable()
export class EmailSender implements OnModuleDestroy {
  private readonly transport: Transporter | null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transport = config.smtpUrl ? createTransport(config.smtpUrl) : null;
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }

  async send(message: EmailMessage): Promise<void> {
    if (!this.transport) throw new DeliverySkipped('SMTP_URL is not set');
    await this.transport.sendMail({ from: this.config.smtpFrom, ...message });
  }
}

/**
 * A signed JSON POST: `X-GridWatch-Signature: sha256=<hex HMAC-SHA256(secret, body)>` and
 * `X-GridWatch-Event`. The URL is checked again before each send and the checked address is the
 * one connected to (a DNS answer changed since the rule was saved cannot redirect it). 5xx and
 * timeouts throw for a retry; other non-2xx answers are permanent failures.
 */
@Injectable()
export class WebhookSender {
  constructor(
    private readonly policy: WebhookHostPolicy,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async send(url: string, secret: string, event: string, body: string): Promise<number> {
    let target: { url: URL; address: string };
    try {
      target = await this.policy.resolveUrl(url);
    } catch (error) {
      throw new PermanentDeliveryFailure((error as Error).message);
    }
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const status = await this.post(target, body, {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
      'User-Agent': 'GridWatch-Webhook/1',
      [WEBHOOK_SIGNATURE_HEADER]: signature,
      [WEBHOOK_EVENT_HEADER]: event,
    });
    if (status >= 500) throw new Error(`webhook answered ${status}`);
    if (status < 200 || status >= 300) {
      throw new PermanentDeliveryFailure(`webhook answered ${status}`);
    }
    return status;
  }

  private post(
    target: { url: URL; address: string },
    body: string,
    headers: Record<string, string>,
  ): Promise<number> {
    const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const family = isIP(target.address);
    return new Promise((resolve, reject) => {
      const call = request(
        target.url,
        {
          method: 'POST',
          headers,
          timeout: this.config.webhookTimeoutMs,
          // Connect to the address the policy checked, whatever DNS says now.
          lookup: (_host, options, callback) =>
            (options as { all?: boolean }).all
              ? (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(
                  null,
                  [{ address: target.address, family }],
                )
              : callback(null, target.address, family),
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', reject);
        },
      );
      call.on('timeout', () => call.destroy(new Error('webhook timed out')));
      call.on('error', reject);
      call.end(body);
    });
  }
}
