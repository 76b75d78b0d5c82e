import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { RoomKind } from '@gridwatch/contracts';
import {
  APP_CONFIG,
  AppConfig,
  createRedis,
  decodeStoredReadings,
  organizationOfStoredReadings,
  parseRealtimeBridgeMessage,
  realtimeBridgeChannel,
  realtimeReadingsChannel,
} from '@gridwatch/server';
import { RealtimeGateway } from './realtime.gateway';
import { RealtimePublisher } from './realtime.publisher';

/**
 * Events from processes without sockets arrive over Redis pub/sub: the transport's gateway status
 * flips on the realtime bridge channel, and the readings a queue worker stored on the realtime
 * readings channel. Every API instance receives each message and delivers it to its own sockets
 * only (a local emit), so a browser gets it once whichever instance it is connected to; readings
 * of an organization without a socket here are dropped unparsed. Malformed messages are dropped.
 * One dedicated subscriber connection, which resubscribes after a Redis restart and closes with
 * the application.
 */
@Injectable()
export class RealtimeBridgeSubscriber implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RealtimeBridge');
  private readonly channel: string;
  private readonly readingsChannel: string;
  private subscriber: Redis | null = null;
  private subscribed: Promise<void> | null = null;

  constructor(
    private readonly publisher: RealtimePublisher,
    private readonly gateway: RealtimeGateway,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.channel = realtimeBridgeChannel(config.queuePrefix);
    this.readingsChannel = realtimeReadingsChannel(config.queuePrefix);
  }

  onApplicationBootstrap(): void {
    if (this.config.processMode === 'worker') return; // no sockets to deliver to
    // A subscription waits out an outage instead of failing (it would never be retried), and
    // ioredis subscribes again by itself after every reconnection.
    const subscriber = createRedis(this.config.redisUrl, 'realtime-bridge', {
      maxRetriesPerRequest: null,
    });
    subscriber.on('message', (channel: string, text: string) => {
      if (channel === this.channel) this.forward(text);
      else if (channel === this.readingsChannel) this.forwardReadings(text);
    });
    const subscribed = subscriber
      .subscribe(this.channel, this.readingsChannel)
      .then(() => undefined);
    subscribed.catch((error: Error) => this.logger.warn(`could not subscribe: ${error.message}`));
    this.subscribed = subscribed;
    this.subscriber = subscriber;
  }

  async onApplicationShutdown(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = null;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }

  /** Resolves once Redis acknowledged the subscription (tests wait for it before publishing). */
  ready(): Promise<void> {
    return this.subscribed ?? Promise.reject(new Error('The realtime bridge is not started'));
  }

  private forwardReadings(text: string): void {
    const organizationId = organizationOfStoredReadings(text);
    if (organizationId && !this.gateway.hasSocketsOf(organizationId)) return;
    const message = decodeStoredReadings(text);
    if (!message) {
      this.logger.warn(`ignored a malformed message on ${this.readingsChannel}`);
      return;
    }
    void this.publisher.readingsStored(message.organizationId, message.readings);
  }

  private forward(text: string): void {
    const message = parseRealtimeBridgeMessage(text);
    if (!message) {
      this.logger.warn(`ignored a malformed message on ${this.channel}`);
      return;
    }
    const { payload } = message;
    this.publisher.publish(
      message.event,
      payload,
      [{ kind: RoomKind.Organization }, { kind: RoomKind.Site, id: payload.siteId }],
      { local: true },
    );
  }
}
