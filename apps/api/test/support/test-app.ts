import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { OpenAPIObject } from '@nestjs/swagger';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { Factory } from './factory';

export interface TestApp {
  app: INestApplication;
  http: TestAgent;
  db: DataSource;
  factory: Factory;
  openApi: OpenAPIObject;
  close(): Promise<void>;
}

/**
 * The real AppModule on the run's database and Redis, as main.ts configures it. `env` overrides
 * configuration for this app only (the config is read while the module compiles).
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .compile()
    .finally(() => {
      process.env = saved;
    });
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    rawBody: true,
    logger: ['error'],
  });
  const openApi = configureApp(app);
  await app.init();
  const db = app.get<DataSource>(getDataSourceToken());
  return {
    app,
    http: request(app.getHttpServer()),
    db,
    factory: new Factory(app),
    openApi,
    close: () => app.close(),
  };
}
