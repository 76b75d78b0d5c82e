import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  APP_CONFIG,
  AppConfig,
  ConfigError,
  drainOnSignals,
  loadConfig,
  Metrics,
  serveMetrics,
} from '@gridwatch/server';
import { AppModule } from './app.module';
import { configureApp, configureWorker } from './app.setup';

async function bootstrap(): Promise<void> {
  loadConfig(); // fail fast, naming every bad variable, before anything connects
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    rawBody: true, // device HMAC signatures cover the exact bytes sent
    bufferLogs: true, // start-up logs wait for the JSON logger
  });
  app.useLogger(app.get(PinoLogger)); // every mode, the worker included: JSON lines
  // Nest flushes the buffer (and stops buffering) only in listen(): a worker never listens, so
  // without this every line it logged stayed in the buffer for ever (the "silent worker").
  app.flushLogs();
  const config = app.get<AppConfig>(APP_CONFIG);
  drainOnSignals(app, config.shutdownTimeoutMs);
  if (config.metricsPort > 0) {
    const where = `${config.metricsHost}:${config.metricsPort}`;
    // A taken metrics port (another process on this host) costs the metrics, not the service.
    await serveMetrics(app.get(Metrics), config.metricsHost, config.metricsPort).then(
      () => Logger.log(`Metrics on http://${where}/metrics`, 'Bootstrap'),
      (error: Error) => Logger.error(`No metrics on ${where}: ${error.message}`, 'Bootstrap'),
    );
  }
  if (config.processMode === 'worker') {
    configureWorker(app);
    await app.init();
    Logger.log('GridWatch worker: processing the ingest queue, no HTTP listener', 'Bootstrap');
    return;
  }
  configureApp(app);
  await app.listen(config.port);
  Logger.log(`GridWatch API on http://localhost:${config.port} (docs: /api/docs)`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
