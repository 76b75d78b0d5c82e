import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RequestMethod, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import helmet from 'helmet';
import { json, type NextFunction, type Request, type Response } from 'express';
import { API_PREFIX, ErrorCode } from '@gridwatch/contracts';
import { isWithinJsonDepth, MAX_JSON_DEPTH } from '@gridwatch/domain';
import {
  AllExceptionsFilter,
  APP_CONFIG,
  AppConfig,
  Metrics,
  metricsBehindToken,
} from '@gridwatch/server';
import { DeviceSecurityScheme } from './common/api-device-auth.decorator';

import { createValidationPipe } from './common/validation';
import { serveAsyncApi } from './modules/docs/serve-asyncapi';
import { RealtimeIoAdapter } from './modules/realtime/realtime-io.adapter';

export const BODY_LIMIT = '2mb';

/** Probes at the paths orchestrators expect, the same on the API and the transport. */
const UNPREFIXED_ROUTES = ['health/live', 'health/ready'];

/** Everything main.ts and the tests both need: prefix, pipes, filter, WebSockets, docs, SPA. */
export function configureApp(app: NestExpressApplication): OpenAPIObject {
  const config = app.get<AppConfig>(APP_CONFIG);
  app.setGlobalPrefix(API_PREFIX, {
    exclude: UNPREFIXED_ROUTES.map((path) => ({ path, method: RequestMethod.GET })),
  });
  const metrics = app.get(Metrics);
  app.use(metrics.httpDurations());
  app.disable('x-powered-by');
  app.use(securityHeaders(config.webDistPath));
  // Metrics on the public port only behind METRICS_TOKEN; otherwise only on METRICS_PORT (main.ts).
  if (config.metricsToken) app.use('/metrics', metricsBehindToken(metrics, config.metricsToken));
  app.use(json({ limit: BODY_LIMIT, verify: keepRawBodyWithinDepth }));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  // An allow-list: an origin not on it gets no Access-Control-Allow-Origin (never reflected).
  app.enableCors({ origin: config.corsOrigins, credentials: true });
  app.set('trust proxy', 'loopback');
  app.useWebSocketAdapter(new RealtimeIoAdapter(app, config));
  const document = buildOpenApi(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  serveAsyncApi(app, document);
  serveSpa(app, config.webDistPath);
  return document;
}

/**
 * Signals are handled by main.ts (drainOnSignals), not by Nest's shutdown hooks.
 * PROCESS_MODE=worker: queue processors and maintenance, no HTTP listener (main.ts never calls
 * listen). socket.io is still set up, unbound, so the live events a worker publishes reach the
 * API instances' sockets through the Redis adapter.
 */
export function configureWorker(app: NestExpressApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  app.useWebSocketAdapter(new RealtimeIoAdapter(app, config));
}

/**
 * body-parser's verify hook, run on the raw bytes before JSON.parse: keeps them for device HMAC
 * signatures (what Nest's `rawBody: true` would do) and refuses a document nested deeper than
 * MAX_JSON_DEPTH, so no validator or merge walking it can overflow the stack (a 500).
 */
function keepRawBodyWithinDepth(request: Request & { rawBody?: Buffer }, _: Response, raw: Buffer) {
  request.rawBody = raw;
  if (!isWithinJsonDepth(raw)) {
    // A plain error carrying the code: body-parser stamps its own status and type on what the
    // hook throws (a DomainException's status is read-only), and the filter reads the code back.
    throw Object.assign(
      new Error(`The request body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`),
      { code: ErrorCode.PayloadTooDeep },
    );
  }
}

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const { DeviceId, DeviceSecret, Timestamp, Signature } = DeviceSecurityScheme;
  const options = new DocumentBuilder()
    .setTitle('GridWatch API')
    .setDescription(
      'Energy monitoring across remote sites. Management endpoints use a bearer JWT from ' +
        '`POST /api/v1/auth/login`; device endpoints use X-Device-ID with X-Device-Secret, or ' +
        'X-Device-ID with X-Timestamp and an HMAC X-Signature. MQTT topics and the socket.io ' +
        'events: the AsyncAPI document at `/api/asyncapi.json`. Every error answers `{statusCode, error, message, details?}`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'jwt')
    .addApiKey(
      deviceHeader('X-Device-ID', "A gateway's serial number or a direct device's UUID"),
      DeviceId,
    )
    .addApiKey(
      deviceHeader('X-Device-Secret', 'The secret issued with the credential'),
      DeviceSecret,
    )
    .addApiKey(deviceHeader('X-Timestamp', 'Unix seconds, within the replay window'), Timestamp)
    .addApiKey(
      deviceHeader('X-Signature', 'hex(HMAC-SHA256(secret, X-Timestamp + "." + raw body))'),
      Signature,
    )
    .build();
  return SwaggerModule.createDocument(app, options);
}

function deviceHeader(name: string, description: string) {
  return { type: 'apiKey' as const, in: 'header', name, description };
}

/**
 * helmet on every response (API, docs, SPA): nosniff, frame-ancestors 'none' and
 * X-Frame-Options DENY, HSTS, no referrer leaks, and a CSP the built SPA passes: scripts only
 * from this origin, plus the hashes of the index's inline event handlers (Angular's critical-CSS
 * loader, `onload="this.media='all'"`); inline styles allowed (Angular component styles, ECharts).
 */
function securityHeaders(distPath: string) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...inlineHandlerHashes(join(resolve(distPath), 'index.html'))],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
}

/** 'unsafe-hashes' plus one hash per inline event handler of the built index.html, if any. */
function inlineHandlerHashes(index: string): string[] {
  if (!existsSync(index)) return [];
  const handlers = [...readFileSync(index, 'utf8').matchAll(/\son[a-z]+="([^"]*)"/g)].map(
    (match) => `'sha256-${createHash('sha256').update(match[1]).digest('base64')}'`,
  );
  return handlers.length === 0 ? [] : ["'unsafe-hashes'", ...new Set(handlers)];
}

/** The built SPA from the same port; unknown non-API paths fall back to index.html. */
function serveSpa(app: NestExpressApplication, distPath: string): void {
  const root = resolve(distPath);
  const index = join(root, 'index.html');
  if (!existsSync(index)) return;
  app.useStaticAssets(root, { index: false });
  app.use((request: Request, response: Response, next: NextFunction) => {
    const isApi = ['/api/', '/socket.io', '/health/', '/metrics'].some((prefix) =>
      request.path.startsWith(prefix),
    );
    if (request.method !== 'GET' || isApi || !request.accepts('html')) return next();
    response.sendFile(index);
  });
}
