import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/**
 * Never written to a log: credentials in headers (bearer tokens, device secrets, HMAC signatures,
 * cookies) and any password, token or secret field of a logged object, at any of the first
 * levels of nesting.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-device-secret"]',
  'req.headers["x-signature"]',
  'res.headers["set-cookie"]',
  ...[
    'password',
    'token',
    'accessToken',
    'refreshToken',
    'secret',
    'jwtSecret',
    'credentialsKey',
  ].flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
];

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Structured JSON logs (pino) for every server process: one line per request with its id
 * (X-Request-Id from a proxy when well-formed, else a new UUID, echoed in the answer) and the
 * device id of device requests; Nest's own logs go through the same logger (main.ts useLogger).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          genReqId: (request: IncomingMessage, response: ServerResponse) => {
            const given = request.headers['x-request-id'];
            const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
            response.setHeader('X-Request-Id', id);
            return id;
          },
          customProps: (request: IncomingMessage) => {
            const deviceId = request.headers['x-device-id'];
            return typeof deviceId === 'string' ? { deviceId: deviceId.slice(0, 128) } : {};
          },
          // Probes every few seconds would drown the requests that matter.
          autoLogging: { ignore: (request: IncomingMessage) => isProbe(request.url) },
        },
      }),
    }),
  ],
})
export class LoggingModule {}

function isProbe(url: string | undefined): boolean {
  return url !== undefined && (url.startsWith('/health') || url.startsWith('/metrics'));
}
