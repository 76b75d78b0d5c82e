import { Logger, type INestApplication } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type Redis from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { AppConfig, createRedis } from '@gridwatch/server';

/** Commands the Redis adapter sends without handling the promise they return. */
const DISCARDED_COMMANDS = new Set([
  'publish',
  'psubscribe',
  'subscribe',
  'punsubscribe',
  'unsubscribe',
]);

/**
 * socket.io on the API's HTTP server, with the Redis adapter: a broadcast from any instance
 * reaches the sockets of all of them. CORS follows the API's. Its two Redis connections
 * (publish, subscribe) close with the application.
 */
export class RealtimeIoAdapter extends IoAdapter {
  private readonly logger = new Logger('RealtimeIoAdapter');
  private readonly clients: Redis[] = [];

  constructor(
    app: INestApplication,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      cors: { origin: this.config.corsOrigins, credentials: true },
    }) as Server;
    const publisher = createRedis(this.config.redisUrl, 'realtime-pub');
    // Subscriptions wait out an outage (a failed SUBSCRIBE would never be retried); publishes fail fast.
    const subscriber = publisher.duplicate({
      connectionName: 'realtime-sub',
      maxRetriesPerRequest: null,
    });
    subscriber.on('error', (error: Error) => this.logger.warn(`subscriber: ${error.message}`));
    this.clients.push(publisher, subscriber);
    server.adapter(
      createAdapter(this.guarded(publisher), this.guarded(subscriber), {
        key: `${this.config.queuePrefix}:socket.io`,
      }),
    );
    return server;
  }

  override async dispose(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.quit().catch(() => client.disconnect())));
    this.clients.length = 0;
  }

  /**
   * The adapter drops the promises of its Redis commands (the emitter has the same gap:
   * socketio/socket.io-redis-emitter#139). During an outage or at shutdown they reject, and an
   * unhandled rejection ends the process; a live update lost then is made up by client polling.
   */
  private guarded(client: Redis): Redis {
    const logger = this.logger;
    return new Proxy(client, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof property !== 'string' || !DISCARDED_COMMANDS.has(property)) return value;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const result: unknown = value.apply(target, args);
          if (result instanceof Promise) {
            result.catch((error: Error) => logger.warn(`${property} failed: ${error.message}`));
          }
          return result;
        };
      },
    });
  }
}
