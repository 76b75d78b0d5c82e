import {
  CanActivate,
  ExecutionContext,
  Global,
  Injectable,
  Logger,
  Module,
  type INestApplication,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Response } from 'express';
import { ServiceUnavailable } from '../errors/domain-exception';

/** What a request arriving during the drain is told to wait before trying another instance. */
const DRAINING_RETRY_AFTER_SECONDS = 1;

/** Set once SIGTERM arrives: the process finishes what it has and takes nothing new. */
@Injectable()
export class ShutdownState {
  draining = false;
  /** HTTP requests that arrived (on a kept-alive connection) after the drain began. */
  readonly lateRequests = new WeakSet<object>();
  inFlightRequests = 0;
}

/**
 * Requests that arrived after the drain began (the listener is closed by then, so only on a
 * kept-alive connection) are refused with 503 + Retry-After and `Connection: close`: the client
 * reconnects to another instance. Requests already running, even mid-upload, finish normally.
 */
@Injectable()
export class RefuseWhileDraining implements CanActivate {
  constructor(private readonly state: ShutdownState) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.state.draining || context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    if (!this.state.lateRequests.has(http.getRequest<object>())) return true;
    http.getResponse<Response>().setHeader('Connection', 'close');
    throw new ServiceUnavailable(
      'service_unavailable',
      'This instance is shutting down; retry',
      DRAINING_RETRY_AFTER_SECONDS,
    );
  }
}

/** ShutdownState and the draining guard, for every server process. */
@Global()
@Module({
  providers: [ShutdownState, { provide: APP_GUARD, useClass: RefuseWhileDraining }],
  exports: [ShutdownState],
})
export class LifecycleModule {}

/** How often the drain looks whether the in-flight HTTP requests have ended. */
const DRAIN_POLL_MS = 50;

/**
 * SIGTERM/SIGINT: stop accepting (the HTTP listener closes; a request on a kept-alive connection
 * gets 503), wait for the HTTP requests in flight, then `app.close()`, where Nest runs the hooks
 * in order: timers stop (onModuleDestroy), queue processors take no new job and wait for the
 * running ones (beforeApplicationShutdown), socket.io closes, then Bull, Redis, PostgreSQL and
 * MQTT connections close (onApplicationShutdown). Whatever still runs after `timeoutMs` is
 * abandoned and the process exits 1: a Bull job it held is re-run by another worker once its
 * lock expires (storage is idempotent), an unacknowledged MQTT message is redelivered.
 * Call before `listen`, so every request is counted.
 */
export function drainOnSignals(
  app: INestApplication,
  timeoutMs: number,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  const logger = new Logger('Shutdown');
  const state = app.get(ShutdownState);
  const server = app.getHttpServer() as Server;
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (state.draining) state.lateRequests.add(request);
    state.inFlightRequests += 1;
    response.once('close', () => (state.inFlightRequests -= 1));
  });
  const drain = async (signal: NodeJS.Signals) => {
    if (state.draining) return;
    state.draining = true;
    logger.log(`${signal}: draining, at most ${timeoutMs} ms`);
    const deadline = setTimeout(() => {
      logger.error(`still draining after ${timeoutMs} ms; exiting anyway`);
      exit(1);
    }, timeoutMs);
    deadline.unref();
    try {
      if (server.listening) {
        server.close();
        server.closeIdleConnections();
      }
      while (state.inFlightRequests > 0) await delay(DRAIN_POLL_MS);
      await app.close();
      clearTimeout(deadline);
      logger.log('drained; exiting');
      exit(0);
    } catch (error) {
      clearTimeout(deadline);
      logger.error(`shutdown failed: ${(error as Error).message}`);
      exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void drain(signal));
  process.once('SIGINT', (signal) => void drain(signal));
}
