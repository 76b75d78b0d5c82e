import type { INestApplication } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type Redis from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { AppConfig, createRedis } from '@gridwatch/server';

/**
 * socket.io on the API's HTTP server, with the Redis adapter: a broadcast from any instance
 * reaches the sockets of all of them. CORS follows the API's. Its two Redis connections
 * (publish, subscribe) close with the application.
 */
export class RealtimeIoAdapter extends IoAdapter {
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
    const subscriber = createRedis(this.config.redisUrl, 'realtime-sub');
    this.clients.push(publisher, subscriber);
    server.adapter(
      createAdapter(publisher, subscriber, { key: `${this.config.queuePrefix}:socket.io` }),
    );
    return server;
  }

  override async dispose(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.quit().catch(() => client.disconnect())));
    this.clients.length = 0;
  }
}
