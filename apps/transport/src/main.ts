import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { APP_CONFIG, AppConfig, ConfigError, loadConfig } from '@gridwatch/server';
import { TransportModule } from './transport.module';

/** The transport: MQTT subscriber and Modbus poller; health and metrics on TRANSPORT_PORT. */
async function bootstrap(): Promise<void> {
  loadConfig(); // fail fast, naming every bad variable
  const app = await NestFactory.create(TransportModule);
  app.enableShutdownHooks();
  const config = app.get<AppConfig>(APP_CONFIG);
  await app.listen(config.transportPort, config.transportHost);
  Logger.log(
    `GridWatch transport; health on http://${config.transportHost}:${config.transportPort}/health`,
    'Bootstrap',
  );
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
