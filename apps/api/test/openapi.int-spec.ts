import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from '@asyncapi/parser';
import type { OpenAPIObject } from '@nestjs/swagger';
import {
  type DomainErrorCode,
  ERROR_OUTCOMES,
  MQTT_TOPICS,
  Parameter,
  REALTIME_EVENTS,
  RealtimeCommand,
  RealtimeNotice,
} from '@gridwatch/contracts';
import { CANONICAL_UNITS } from '@gridwatch/domain';
import { createTestApp, TestApp } from './support/test-app';

type Example = { value: unknown };
type Content = { 'application/json'?: { example?: unknown; examples?: Record<string, Example> } };
type Operation = {
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; schema?: Record<string, unknown> }>;
  requestBody?: { content: Content };
  responses: Record<string, { content?: Content }>;
  'x-required-scopes'?: string[];
};

/** Every operation of the document, named `METHOD /path`. */
function operations(document: OpenAPIObject): Array<[string, Operation]> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(([method, op]): [string, Operation] => [
      `${method.toUpperCase()} ${path}`,
      op,
    ]),
  );
}

function examplesOf(content: Content | undefined): unknown[] {
  const json = content?.['application/json'];
  if (!json) return [];
  return [
    ...(json.example === undefined ? [] : [json.example]),
    ...Object.values(json.examples ?? {}).map((example) => example.value),
  ];
}

const DEVICE_ENDPOINTS = [
  'POST /api/v1/readings/ingest',
  'POST /api/v1/ingest',
  'POST /api/v1/gateway/ping',
];

describe('OpenAPI document', () => {
  let t: TestApp;
  let served: OpenAPIObject;

  beforeAll(async () => {
    t = await createTestApp();
    served = (await t.http.get('/api/docs-json').expect(200)).body as OpenAPIObject;
  });
  afterAll(() => t.close());

  it('validates as OpenAPI 3 with an independent validator', async () => {
    expect(served.openapi).toMatch(/^3\./);
    // swagger-parser is ESM-only: run it in its own Node process, as a user would.
    const file = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(served));
    const output = execFileSync(process.execPath, ['tools/openapi/validate.mjs', file], {
      encoding: 'utf8',
    });
    expect(output).toMatch(/^valid: GridWatch API/);
  });

  it('documents every route the API serves', () => {
    const router =
      t.app.getHttpAdapter().getInstance()._router ?? t.app.getHttpAdapter().getInstance().router;
    const servedRoutes = new Set<string>();
    for (const layer of router.stack as Array<{
      route?: { path: string; methods: Record<string, boolean> };
    }>) {
      if (!layer.route || !layer.route.path.startsWith('/api/v1')) continue;
      // Nest mounts middleware for every route (the request logger) as a splat route per method.
      if (layer.route.path.includes('{/*')) continue;
      for (const method of Object.keys(layer.route.methods)) {
        servedRoutes.add(`${method.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
      }
    }
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(served.paths)) {
      for (const method of Object.keys(item)) documented.add(`${method.toUpperCase()} ${path}`);
    }
    expect(servedRoutes.size).toBeGreaterThan(5);
    expect([...servedRoutes].filter((route) => !documented.has(route))).toEqual([]);
  });

  it('declares security, scopes and error responses on every protected operation', () => {
    const problems: string[] = [];
    for (const [path, item] of Object.entries(served.paths)) {
      for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
        const name = `${method.toUpperCase()} ${path}`;
        const usesJwt = (op.security ?? []).some((requirement) => 'jwt' in (requirement as object));
        if (!usesJwt) continue;
        if (!Array.isArray(op['x-required-scopes'])) problems.push(`${name}: no x-required-scopes`);
        if (!op.responses['401']) problems.push(`${name}: no 401 response`);
        if ((op['x-required-scopes'] ?? []).length > 0 && !op.responses['403']) {
          problems.push(`${name}: no 403 response`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('describes the bearer and device-header security schemes', () => {
    expect(served.components?.securitySchemes).toMatchObject({
      jwt: { type: 'http', scheme: 'bearer' },
      'device-id': { type: 'apiKey', in: 'header', name: 'X-Device-ID' },
      'device-secret': { type: 'apiKey', in: 'header', name: 'X-Device-Secret' },
      'device-timestamp': { type: 'apiKey', in: 'header', name: 'X-Timestamp' },
      'device-signature': { type: 'apiKey', in: 'header', name: 'X-Signature' },
    });
  });

  it('requires X-Device-ID and X-Device-Secret together on device endpoints, or the HMAC headers', () => {
    const byName = new Map(operations(served));
    for (const name of DEVICE_ENDPOINTS) {
      const requirements = (byName.get(name)?.security ?? []).map((requirement) =>
        Object.keys(requirement).sort(),
      );
      expect({ name, requirements: requirements.sort() }).toEqual({
        name,
        requirements: [
          ['device-id', 'device-secret'],
          ['device-id', 'device-signature', 'device-timestamp'],
        ],
      });
    }
  });

  it('gives every error answer an example whose code the code table answers with that status', () => {
    const problems: string[] = [];
    for (const [name, op] of operations(served)) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue;
        const examples = examplesOf(response.content) as Array<{
          statusCode: number;
          error: DomainErrorCode;
          message: string;
        }>;
        if (examples.length === 0) problems.push(`${name} ${status}: no example`);
        for (const example of examples) {
          const tableStatus = ERROR_OUTCOMES[example.error]?.status;
          if (example.statusCode !== Number(status) || tableStatus !== Number(status)) {
            problems.push(`${name} ${status}: example ${example.error} (${tableStatus})`);
          }
          if (!example.message) problems.push(`${name} ${status}: example without a message`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents the device endpoints with the codes they refuse with', () => {
    const ingest = new Map(operations(served)).get('POST /api/v1/readings/ingest');
    const codes = Object.fromEntries(
      Object.entries(ingest?.responses ?? {}).map(([status, response]) => [
        status,
        (examplesOf(response.content) as Array<{ error: string }>).map((e) => e.error).sort(),
      ]),
    );
    expect(codes).toMatchObject({
      '400': ['invalid_payload', 'invalid_timestamp', 'no_readings_accepted'],
      '401': [
        'invalid_device_credentials',
        'missing_device_credentials',
        'replayed',
        'stale_timestamp',
      ],
      '413': ['too_many_readings'],
      '503': ['service_unavailable'],
    });
  });

  it('types every limit query parameter as a bounded integer', () => {
    const limits = operations(served).flatMap(([name, op]) =>
      (op.parameters ?? [])
        .filter((parameter) => parameter.name === 'limit')
        .map((parameter) => ({ name, schema: parameter.schema })),
    );
    expect(limits.length).toBeGreaterThanOrEqual(5);
    for (const { name, schema } of limits) {
      expect({ name, schema }).toEqual({
        name,
        schema: expect.objectContaining({
          type: 'integer',
          minimum: 1,
          maximum: expect.any(Number),
        }),
      });
    }
  });

  it('gives each example reading its parameter’s canonical unit', () => {
    const byName = new Map(operations(served));
    const batches = examplesOf(
      byName.get('POST /api/v1/readings/ingest')?.requestBody?.content,
    ) as Array<{ readings: Array<{ parameter: Parameter; unit: string }> }>;
    const readings = batches.flatMap((batch) => batch.readings);
    expect(readings.length).toBeGreaterThan(1);
    for (const reading of readings) {
      expect(reading.unit).toBe(CANONICAL_UNITS[reading.parameter]);
    }
    const schema = served.components?.schemas?.['GatewayReadingDto'] as {
      properties: Record<string, { example?: unknown }>;
    };
    const parameter = schema.properties['parameter'].example as Parameter;
    expect(schema.properties['unit'].example).toBe(CANONICAL_UNITS[parameter]);
  });
});

describe('AsyncAPI document', () => {
  let t: TestApp;
  let served: {
    asyncapi: string;
    channels: Record<string, { address: string; messages: Record<string, { name: string }> }>;
    operations: Record<string, { bindings?: { mqtt?: { qos: number } } }>;
  };

  beforeAll(async () => {
    t = await createTestApp();
    served = (await t.http.get('/api/asyncapi.json').expect(200)).body;
  });
  afterAll(() => t.close());

  it('is a valid AsyncAPI 3.0 document, served without credentials', async () => {
    expect(served.asyncapi).toBe('3.0.0');
    const diagnostics = await new Parser().validate(served as never);
    // Spectral severities: 0 error, 1 warning, 2 information, 3 hint.
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 0);
    expect(errors.map((error) => `${error.path.join('.')}: ${error.message}`)).toEqual([]);
    const { document } = await new Parser().parse(served as never);
    expect(document?.channels().length).toBe(MQTT_TOPICS.length + 1);
  });

  it('names every realtime event, notice and command of the contracts', () => {
    const names = Object.values(served.channels['realtime'].messages).map((m) => m.name);
    const expected = [
      ...REALTIME_EVENTS,
      ...Object.values(RealtimeNotice),
      ...Object.values(RealtimeCommand),
    ];
    expect(names).toEqual(expect.arrayContaining(expected));
  });

  it('describes every MQTT device topic, with QoS 1, as MQTT 5 and as the 3.1.1 envelope', () => {
    const mqtt = Object.values(served.channels).filter((channel) =>
      (MQTT_TOPICS as readonly string[]).includes(channel.address),
    );
    expect(mqtt.map((channel) => channel.address).sort()).toEqual([...MQTT_TOPICS].sort());
    for (const channel of mqtt) {
      const titles = Object.keys(channel.messages);
      expect(titles.some((title) => title.endsWith('Envelope'))).toBe(true);
      expect(titles.some((title) => !title.endsWith('Envelope'))).toBe(true);
    }
    const qos = Object.values(served.operations)
      .map((operation) => operation.bindings?.mqtt?.qos)
      .filter((value) => value !== undefined);
    expect(qos).toEqual([1, 1, 1]);
  });
});
