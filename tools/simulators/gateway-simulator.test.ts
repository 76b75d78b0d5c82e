// Run: node -r ./tools/register.js --test tools/simulators/*.test.ts
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { INGEST_PATH } from './device-client';
import { GatewaySimulator } from './gateway-simulator';
import { LoadProfile } from './load-profile';
import { SimState } from './sim-state';

describe('gateway simulator under back-pressure', () => {
  const bodies: string[] = [];
  let server: Server;
  let api: string;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gw-sim-'));
    // The first batch is refused as the API does while its queue is full; the next is taken.
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        if (request.url !== INGEST_PATH) {
          response.writeHead(404).end();
          return;
        }
        bodies.push(body);
        const readings = (JSON.parse(body) as { readings: unknown[] }).readings.length;
        if (bodies.length === 1) {
          response.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '1' });
          response.end(JSON.stringify({ statusCode: 503, error: 'ingest_backlog_full' }));
          return;
        }
        response.writeHead(202, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ batch_id: 'b', accepted: readings, rejected: [] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits out Retry-After and resends the same batch: nothing lost, nothing failed', async () => {
    const simulator = new GatewaySimulator(
      {
        serialNumber: 'GW-BP-1',
        protocol: 'http',
        host: null,
        port: null,
        secret: randomBytes(24).toString('base64url'),
        meters: [
          { id: 'meter-1', name: 'Main', kind: 'main', modbusUnitId: null, registerMap: null },
        ],
      },
      new LoadProfile({ seed: 'test', timeZone: 'Europe/London' }),
      new SimState(join(dir, 'state.json')),
      { api, auth: 'secret', maxPending: 10, maxBatchReadings: 1000, maxAttempts: 4 },
    );
    simulator.generate(Date.parse('2026-12-01T12:00:00Z'));
    const started = Date.now();

    await simulator.drain();

    const stats = simulator.takeStats();
    assert.equal(bodies.length, 2);
    assert.equal(bodies[1], bodies[0]);
    assert.ok(Date.now() - started >= 1000, 'waited for Retry-After');
    assert.equal(stats.accepted, stats.generated);
    assert.equal(stats.failed, 0);
    assert.equal(stats.dropped, 0);
    assert.equal(stats.retries, 1);
    assert.equal(simulator.pending, 0);
  });
});
