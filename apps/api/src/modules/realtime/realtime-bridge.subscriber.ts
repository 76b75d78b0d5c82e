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
  parseRealtimeBridgeMessage,
  realtimeBridgeChannel,
} from '@gridwatch/server';
import { RealtimePublisher } from './realtime.publisher';

/**
 * Events from processes without socket.io (the transport's gateway status flips) arrive on the
 * realtime bridge channel, Redis pub/sub. Every API instance receives each message and delivers
 * it to its own sockets only (a local emit), so a browser gets it once whichever instance it is
 * connected to. Malformed messages are dropped. One dedicated subscriber connection, which
 * resubscribes after a Redis restart and closes with the application.
 */
@Injectable()
export class RealtimeBridgeSubscriber implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RealtimeBridge');
  private readonly channel: string;
  private subscriber: Redis | null = null;
  private subscribed: Promise<void> | null = null;

  constructor(
    private readonly publisher: RealtimePublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.channel = realtimeBridgeChannel(config.queuePrefix);
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
    });
    const subscribed = subscriber.subscribe(this.channel).then(() => undefined);
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
