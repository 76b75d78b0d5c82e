/**
 * docker/ checked without Docker (`docker compose config` is not available in CI): the compose
 * files parse as YAML, every service has a health check, every file they reference exists, every
 * variable they read is documented in the README or has a default, Redis runs with AOF and
 * noeviction, and Mosquitto starts with the shipped config (on a spare port, own data dir).
 * Run: node -r ./tools/register.js --test tools/docker-compose.test.ts
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
// `yaml` 1.x is in node_modules through the build tooling (cosmiconfig), not a direct dependency.
import { parse } from 'yaml';

const ROOT = resolve(__dirname, '..');
const DOCKER = join(ROOT, 'docker');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

interface Service {
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, unknown>;
  volumes?: string[];
  healthcheck?: { test: string[] };
}
interface Compose {
  include?: string[];
  services: Record<string, Service>;
}

const load = (file: string) => parse(readFileSync(join(DOCKER, file), 'utf8')) as Compose;
const stack = load('compose.yml');
const services: Record<string, Service> = {
  ...Object.assign({}, ...(stack.include ?? []).map((file) => load(file).services)),
  ...stack.services,
};

describe('docker compose files', () => {
  it('hold PostgreSQL, Redis, Mosquitto, the API, a worker and the transport, each with a health check', () => {
    assert.deepEqual(Object.keys(services).sort(), [
      'api',
      'mosquitto',
      'postgres',
      'redis',
      'transport',
      'worker',
    ]);
    for (const [name, service] of Object.entries(services)) {
      assert.ok(service.healthcheck?.test?.length, `${name} has no health check`);
    }
    assert.equal(services['worker'].environment?.['PROCESS_MODE'], 'worker');
  });

  it('reference files that exist', () => {
    for (const file of stack.include ?? []) assert.ok(existsSync(join(DOCKER, file)), file);
    for (const [name, service] of Object.entries(services)) {
      if (service.build) {
        const context = resolve(DOCKER, service.build.context);
        assert.ok(existsSync(join(context, service.build.dockerfile)), `${name}: its Dockerfile`);
      }
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('.')) assert.ok(existsSync(resolve(DOCKER, source)), volume);
      }
    }
  });

  it('read only variables that have a default or are documented in the README', () => {
    const text = ['compose.yml', 'compose.services.yml']
      .map((file) => readFileSync(join(DOCKER, file), 'utf8'))
      .join('\n');
    for (const [, name, rest] of text.matchAll(/\$\{([A-Z_]+)(:?[-?][^}]*)?\}/g)) {
      const documented = README.includes(`\`${name}\``);
      assert.ok(rest?.startsWith(':-') || documented, `${name} has no default and no README line`);
    }
    const shared = (stack as unknown as Record<string, Record<string, unknown>>)['x-app-env'];
    const environment = { ...shared, ...services['api'].environment };
    for (const variable of Object.keys(environment)) {
      if (variable === '<<') continue;
      assert.ok(README.includes(`\`${variable}\``), `${variable} is not in the README table`);
    }
  });

  it('run Redis with an AOF (fsync every second) and noeviction', () => {
    const command = services['redis'].command?.join(' ') ?? '';
    assert.match(command, /--appendonly yes/);
    assert.match(command, /--appendfsync everysec/);
    assert.match(command, /--maxmemory-policy noeviction/);
  });

  it('ship a Mosquitto config with persistence that the installed broker starts with', async () => {
    const config = readFileSync(join(DOCKER, 'mosquitto/mosquitto.conf'), 'utf8');
    assert.match(config, /^persistence true$/m);
    const port = await sparePort();
    const dir = mkdtempSync(join(tmpdir(), 'gw-mosquitto-'));
    // Same config, with this test's port and data directory in place of the container's.
    const local = config
      .replace(/^listener \d+/m, `listener ${port} 127.0.0.1`)
      .replace(/^persistence_location .*/m, `persistence_location ${dir}/`)
      .replace(/^log_dest .*/m, 'log_dest stderr');
    writeFileSync(join(dir, 'mosquitto.conf'), local);
    const broker = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    try {
      assert.ok(
        await listening(port),
        'mosquitto did not start with docker/mosquitto/mosquitto.conf',
      );
    } finally {
      broker.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function sparePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function listening(port: number): Promise<boolean> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const open = await new Promise<boolean>((done) => {
      const socket = new Socket();
      socket.once('connect', () => done(true)).once('error', () => done(false));
      socket.connect(port, '127.0.0.1');
    }).catch(() => false);
    if (open) return true;
    await new Promise((wait) => setTimeout(wait, 100));
  }
  return false;
}
