import { webhookAddressRefusal, type HostRefusal, type IpAddress } from '@gridwatch/domain';
import { OutboundHostPolicy } from '@gridwatch/ingest';
import { APP_CONFIG, type AppConfig, DomainException } from '@gridwatch/server';

/** A webhook URL GridWatch will not call; `detail` (addresses, rule) is for the logs only. */
export class WebhookUrlNotAllowed extends DomainException {
  constructor(readonly detail: string) {
    super(
      'webhook_url_not_allowed',
      'This webhook URL cannot be used: it must be http(s) and reach a public address',
    );
  }
}

/**
 * Where webhooks may go: checked when a rule is saved and again before every delivery (the
 * checked address is the one connected to). Loopback and private networks only when
 * WEBHOOK_ALLOWED_NETWORKS lists them; link-local and metadata addresses never.
 */
export class WebhookHostPolicy extends OutboundHostPolicy {
  protected readonly setting = 'WEBHOOK_ALLOWED_NETWORKS';

  protected refusal(address: IpAddress): HostRefusal | null {
    return webhookAddressRefusal(address, this.allowed);
  }

  protected refuse(detail: string): WebhookUrlNotAllowed {
    return new WebhookUrlNotAllowed(detail);
  }

  /** The checked address to connect to for a webhook URL. */
  async resolveUrl(url: string): Promise<{ url: URL; address: string }> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new WebhookUrlNotAllowed(`${url}: not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new WebhookUrlNotAllowed(`${url}: not http(s)`);
    }
    return { url: parsed, address: await this.resolve(parsed.hostname) };
  }
}

export const webhookHostPolicyProvider = {
  provide: WebhookHostPolicy,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => new WebhookHostPolicy(config.webhookAllowedNetworks),
};
