import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  DEVICE_SAMPLE_EXAMPLE,
  GATEWAY_BATCH_EXAMPLE,
  GATEWAY_PING_EXAMPLE,
} from '../ingest/dto/device-payloads.dto';
import { type AsyncApiDocument, buildAsyncApi } from './asyncapi.document';

export const ASYNCAPI_PATH = '/api/asyncapi.json';

/** Serves the AsyncAPI document beside the Swagger docs, public like them. */
export function serveAsyncApi(app: INestApplication, openApi: OpenAPIObject): AsyncApiDocument {
  const document = buildAsyncApi(openApi, {
    batch: GATEWAY_BATCH_EXAMPLE,
    sample: DEVICE_SAMPLE_EXAMPLE,
    status: { status: 'online', ...GATEWAY_PING_EXAMPLE },
  });
  app
    .getHttpAdapter()
    .get(ASYNCAPI_PATH, (_request: Request, response: Response) => response.json(document));
  return document;
}
