import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { createTestApp, TestApp } from './support/test-app';

type Operation = {
  security?: unknown[];
  responses: Record<string, unknown>;
  'x-required-scopes'?: string[];
};

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
    });
  });
});
