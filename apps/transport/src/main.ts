import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  AllExceptionsFilter,
  APP_CONFIG,
  AppConfig,
  ConfigError,
  drainOnSignals,
  loadConfig,
  Metrics,
} from '@gridwatch/server';
import { TransportModule } from './transport.module';

/** The transport: MQTT subscriber and Modbus poller; health and metrics on TRANSPORT_PORT. */
async function bootstrap(): Promise<void> {
  loadConfig(); // fail fast, naming every bad variable
  const app = await NestFactory.create<NestExpressApplication>(TransportModule, {
    bufferLogs: true, // start-up logs wait for the JSON logger
  });
  app.useLogger(app.get(PinoLogger));
  app.useGlobalFilters(new AllExceptionsFilter());
  app.use(app.get(Metrics).httpDurations());
  const config = app.get<AppConfig>(APP_CONFIG);
  drainOnSignals(app, config.shutdownTimeoutMs);
  // Health and metrics list every tenant's gateways: loopback unless TRANSPORT_HOST says otherwise.
  await app.listen(config.transportPort, config.transportHost);
  Logger.log(
    `GridWatch transport; health and metrics on http://${config.transportHost}:${config.transportPort}/health/ready`,
    'Bootstrap',
  );
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
