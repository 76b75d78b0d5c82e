/**
 * docker/ checked without Docker (`docker compose config` is not available in CI): the compose
 * files parse as YAML, every service has a health check, every file they reference exists, every
 * variable they read is documented in the README or has a default, Redis runs with AOF and
 * noeviction, and Mosquitto starts with the shipped config (on a spare port, own data dir).
 * Run: node -r ./tools/register.js --test tools/docker-compose.test.ts
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
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
  entrypoint?: string[];
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

  it('run a broker that is not open (dynamic security) and hand the apps its accounts', () => {
    const mosquitto = services['mosquitto'];
    assert.deepEqual(mosquitto.entrypoint, ['/bin/sh', '/mosquitto/config/init-dynsec.sh']);
    assert.equal(mosquitto.environment?.['MQTT_AUTH'], '${MQTT_AUTH:-dynsec}');
    assert.ok(mosquitto.volumes?.includes('./mosquitto:/mosquitto/config:ro'));
    assert.match(mosquitto.healthcheck?.test.join(' ') ?? '', /init-dynsec\.sh healthcheck$/);
    const shared = (stack as unknown as Record<string, Record<string, string>>)['x-app-env'];
    for (const variable of [
      'MQTT_ADMIN_USERNAME',
      'MQTT_ADMIN_PASSWORD',
      'MQTT_USERNAME',
      'MQTT_PASSWORD',
    ]) {
      // Required, no default: the stack refuses to start without them.
      assert.match(shared[variable] ?? '', new RegExp(`^\\$\\{${variable}:\\?`), variable);
    }
  });

  it("start Mosquitto through the service's entrypoint: dynsec refuses anonymous clients, anonymous is open", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-mosquitto-entry-'));
    const config = join(dir, 'config');
    const data = join(dir, 'data');
    mkdirSync(config);
    mkdirSync(data);
    const plugin = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib']
      .map((lib) => join(lib, 'mosquitto_dynamic_security.so'))
      .find((path) => existsSync(path));
    assert.ok(plugin, 'the installed mosquitto has no dynamic-security plugin');
    const brokers: ReturnType<typeof spawn>[] = [];
    try {
      for (const file of ['mosquitto.conf', 'mosquitto-dynsec.conf']) {
        // The shipped file, with this test's data directory and plugin path in place of the image's.
        const text = readFileSync(join(DOCKER, 'mosquitto', file), 'utf8')
          .replaceAll('/mosquitto/data/', `${data}/`)
          .replace(/^plugin .*/m, `plugin ${plugin}`)
          .replace(/^log_dest .*/m, 'log_dest stderr');
        writeFileSync(join(config, file), `${text}\nuser ${userInfo().username}\n`);
      }
      const admin = {
        MQTT_ADMIN_USERNAME: 'compose-admin',
        // The run's own: no secret is written in the source.
        MQTT_ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
      };
      const entry = join(DOCKER, 'mosquitto', 'init-dynsec.sh');
      const run = async (env: Record<string, string>) => {
        const port = await sparePort();
        // The configs listen on 1883: the test's copies take a spare port instead.
        for (const file of ['mosquitto.conf', 'mosquitto-dynsec.conf']) {
          const path = join(config, file);
          writeFileSync(
            path,
            readFileSync(path, 'utf8').replace(/^listener \d+.*$/m, `listener ${port} 127.0.0.1`),
          );
        }
        const vars = {
          ...process.env,
          ...env,
          MOSQUITTO_CONFIG_DIR: config,
          MOSQUITTO_DATA_DIR: data,
          MQTT_HEALTHCHECK_PORT: String(port),
        };
        const broker = spawn('sh', [entry], { env: vars, stdio: 'ignore' });
        brokers.push(broker);
        assert.ok(
          await listening(port),
          `the entrypoint did not start mosquitto (${JSON.stringify(env)})`,
        );
        const publish = (...login: string[]) =>
          spawnSync(
            'mosquitto_pub',
            ['-h', '127.0.0.1', '-p', String(port), ...login, '-t', 'probe', '-m', 'x'],
            {
              encoding: 'utf8',
              timeout: 10_000,
            },
          ).status;
        const healthcheck = spawnSync('sh', [entry, 'healthcheck'], {
          env: vars,
          encoding: 'utf8',
          timeout: 10_000,
        });
        return { publish, healthcheck: healthcheck.status, broker };
      };

      const locked = await run(admin);
      assert.notEqual(locked.publish(), 0, 'an anonymous client was let in');
      assert.notEqual(locked.publish('-u', admin.MQTT_ADMIN_USERNAME, '-P', 'wrong'), 0);
      assert.equal(
        locked.publish('-u', admin.MQTT_ADMIN_USERNAME, '-P', admin.MQTT_ADMIN_PASSWORD),
        0,
      );
      assert.equal(locked.healthcheck, 0, 'the health check does not log in');
      assert.ok(existsSync(join(data, 'dynamic-security.json')));
      locked.broker.kill('SIGTERM');

      const open = await run({ MQTT_AUTH: 'anonymous' });
      assert.equal(open.publish(), 0);
      assert.equal(open.healthcheck, 0);

      const refused = spawnSync('sh', [entry], {
        env: {
          ...process.env,
          MOSQUITTO_CONFIG_DIR: config,
          MOSQUITTO_DATA_DIR: join(dir, 'empty'),
        },
        encoding: 'utf8',
        timeout: 10_000,
      });
      assert.notEqual(refused.status, 0);
      assert.match(refused.stderr, /MQTT_ADMIN_USERNAME is required/);
    } finally {
      for (const broker of brokers) broker.kill('SIGTERM');
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
