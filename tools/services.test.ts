/**
 * tools/services.sh's port and cluster logic, run for real: helpers sourced from the script, a
 * throwaway PostgreSQL cluster (pg_createcluster with its config in a temporary
 * PG_CLUSTER_CONF_ROOT and its data in a temporary directory) on a spare port.
 *
 *   node -r ./tools/register.js --test tools/services.test.ts
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

const SERVICES = resolve(__dirname, 'services.sh');
const LOCAL_ENV = resolve(__dirname, 'local-env.sh');
const PG_VERSION = existsSync('/usr/lib/postgresql')
  ? spawnSync('bash', ['-c', 'ls /usr/lib/postgresql | sort -V | tail -1'], {
      encoding: 'utf8',
    }).stdout.trim()
  : '';
const CAN_CREATE_CLUSTERS =
  process.getuid?.() === 0 && PG_VERSION !== '' && existsSync('/usr/bin/pg_createcluster');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `script` in bash with the environment given (plus PATH and HOME), services.sh sourced. */
function bash(script: string, env: Record<string, string> = {}, user?: string): Run {
  const base = { PATH: `${process.env['PATH']}:/usr/sbin:/sbin`, HOME: tmpdir(), ...env };
  const command = ['bash', '-c', `source ${SERVICES}; ${script}`];
  const run = user
    ? spawnSync('runuser', ['-u', user, '--', 'env', ...envArgs(base), ...command], {
        encoding: 'utf8',
      })
    : spawnSync(command[0], command.slice(1), { encoding: 'utf8', env: base });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function envArgs(env: Record<string, string>): string[] {
  return Object.entries(env).map(([key, value]) => `${key}=${value}`);
}

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

describe('tools/local-env.sh: one set of ports for services, apps and tests', () => {
  function env(vars: Record<string, string>): Record<string, string> {
    const run = spawnSync(
      'env',
      [
        '-i',
        ...envArgs(vars),
        'bash',
        '-c',
        `source ${LOCAL_ENV}; echo "$PGPORT $REDIS_PORT $MQTT_PORT $MODBUS_SIM_PORT"; echo "$DATABASE_URL $REDIS_URL $MQTT_URL"`,
      ],
      { encoding: 'utf8' },
    );
    const [ports, urls] = run.stdout.trim().split('\n');
    const [PGPORT, REDIS_PORT, MQTT_PORT, MODBUS_SIM_PORT] = ports.split(' ');
    const [DATABASE_URL, REDIS_URL, MQTT_URL] = urls.split(' ');
    return { PGPORT, REDIS_PORT, MQTT_PORT, MODBUS_SIM_PORT, DATABASE_URL, REDIS_URL, MQTT_URL };
  }

  it('defaults to the standard ports and the URLs the apps default to', () => {
    assert.deepEqual(env({}), {
      PGPORT: '5432',
      REDIS_PORT: '6379',
      MQTT_PORT: '1883',
      MODBUS_SIM_PORT: '5020',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/gridwatch',
      REDIS_URL: 'redis://127.0.0.1:6379',
      MQTT_URL: 'mqtt://127.0.0.1:1883',
    });
  });

  it('builds the URLs from chosen ports', () => {
    const chosen = env({ PGPORT: '15432', REDIS_PORT: '16379', MQTT_PORT: '11883' });
    assert.equal(chosen['DATABASE_URL'], 'postgres://postgres@127.0.0.1:15432/gridwatch');
    assert.equal(chosen['REDIS_URL'], 'redis://127.0.0.1:16379');
    assert.equal(chosen['MQTT_URL'], 'mqtt://127.0.0.1:11883');
  });

  it('takes the service ports from URLs that point at this machine', () => {
    const chosen = env({
      DATABASE_URL: 'postgres://app:secret@localhost:6543/gw?sslmode=disable',
      REDIS_URL: 'redis://127.0.0.1',
      MQTT_URL: 'mqtt://user:pw@127.0.0.1:2883',
    });
    assert.equal(chosen['PGPORT'], '6543');
    assert.equal(chosen['REDIS_PORT'], '6379');
    assert.equal(chosen['MQTT_PORT'], '2883');
    assert.equal(chosen['DATABASE_URL'], 'postgres://app:secret@localhost:6543/gw?sslmode=disable');
  });

  it('lets an explicit port win over the URL', () => {
    assert.equal(
      env({ PGPORT: '7000', DATABASE_URL: 'postgres://u@127.0.0.1:6543/gw' })['PGPORT'],
      '7000',
    );
  });
});

describe(
  'tools/services.sh against a temporary PostgreSQL cluster on a spare port',
  { skip: CAN_CREATE_CLUSTERS ? false : 'needs root and PostgreSQL server packages' },
  () => {
    let dir = '';
    let port = 0;
    let env: Record<string, string> = {};
    const cluster = 'gwtest';

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'gridwatch-services-test-'));
      chmodSync(dir, 0o755);
      port = await sparePort();
      env = {
        PG_CLUSTER_CONF_ROOT: join(dir, 'etc'),
        PGPORT: String(port),
        SERVICES_STARTED_FILE: join(dir, 'services-started'),
        SERVICES_WAIT_SECONDS: '30',
        TMPDIR: dir,
      };
      const created = spawnSync(
        'pg_createcluster',
        [
          PG_VERSION,
          cluster,
          '--port',
          String(port),
          '-d',
          join(dir, 'data'),
          '-l',
          join(dir, 'pg.log'),
        ],
        { encoding: 'utf8', env: { ...process.env, ...env } },
      );
      assert.equal(created.status, 0, created.stderr);
    });

    after(() => {
      if (!dir) return;
      spawnSync('pg_dropcluster', [PG_VERSION, cluster, '--stop'], {
        env: { ...process.env, PG_CLUSTER_CONF_ROOT: join(dir, 'etc') },
      });
      rmSync(dir, { recursive: true, force: true });
    });

    it('finds the cluster configured for PGPORT, and none on another port', async () => {
      assert.equal(bash('pg_cluster_on_port', env).stdout.trim(), `${PG_VERSION} ${cluster} down`);
      const other = await sparePort();
      assert.equal(bash('pg_cluster_on_port', { ...env, PGPORT: String(other) }).stdout, '');
    });

    it('refuses to touch pg_hba.conf without root, naming the file and the fix', () => {
      const run = bash(
        `pg_allow_trust ${PG_VERSION} ${cluster} || echo "\${ERROR[postgres]} FIX: \${FIX[postgres]}"`,
        env,
        'nobody',
      );
      assert.match(run.stdout, /cannot read .*pg_hba\.conf/);
      assert.match(run.stdout, /FIX: .*sudo/);
    });

    it('starts it, with passwordless local logins, creates the database and records the start', () => {
      const run = bash(
        'start_postgres && wait_for postgres && [[ -z ${ERROR[postgres]:-} ]] && pg_after_up',
        env,
      );
      assert.equal(run.status, 0, run.stdout + run.stderr);
      const hba = readFileSync(join(dir, 'etc', PG_VERSION, cluster, 'pg_hba.conf'), 'utf8');
      assert.match(hba, /^# gridwatch-local-dev/);
      assert.match(run.stdout, /created database gridwatch/);
      assert.equal(
        readFileSync(join(dir, 'services-started'), 'utf8'),
        `postgres pg_ctlcluster ${PG_VERSION} ${cluster}\n`,
      );
    });

    it('puts the trust lines back on a running cluster that lost them (reruns converge)', () => {
      const hbaPath = join(dir, 'etc', PG_VERSION, cluster, 'pg_hba.conf');
      const packaged = readFileSync(hbaPath, 'utf8')
        .split('\n')
        .filter((line) => !/gridwatch-local-dev|trust$/.test(line))
        .join('\n');
      writeFileSync(hbaPath, packaged);
      spawnSync('pg_ctlcluster', [PG_VERSION, cluster, 'reload'], {
        env: { ...process.env, ...env },
      });
      const run = bash('pg_after_up', env);
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(readFileSync(hbaPath, 'utf8'), /^# gridwatch-local-dev/);
    });

    it('stop stops what it started and forgets it', () => {
      const run = bash('cmd_stop && ! is_up postgres', env);
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(
        run.stdout,
        new RegExp(`stopped postgres \\(pg_ctlcluster ${PG_VERSION} ${cluster}\\)`),
      );
      assert.equal(existsSync(join(dir, 'services-started')), false);
      assert.match(bash('cmd_stop', env).stdout, /nothing to stop/);
    });
  },
);

describe('tools/services.sh: the Redis it starts', () => {
  it('keeps an AOF (fsync every second) in its data directory and never evicts', async () => {
    const port = await sparePort();
    const dir = mkdtempSync(join(tmpdir(), 'gw-services-redis-'));
    const env = {
      REDIS_PORT: String(port),
      REDIS_DATA_DIR: join(dir, 'data'),
      SERVICES_STARTED_FILE: join(dir, 'started'),
    };
    try {
      const started = bash('start_redis', env);
      assert.equal(started.status, 0, started.stderr);
      const config = bash(
        `for key in appendonly appendfsync maxmemory-policy dir; do redis-cli -p ${port} config get $key | tail -1; done`,
        env,
      );
      assert.deepEqual(config.stdout.trim().split('\n'), [
        'yes',
        'everysec',
        'noeviction',
        join(dir, 'data'),
      ]);
    } finally {
      bash(`redis-cli -p ${port} shutdown nosave`, env);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tools/services.sh: the Mosquitto it starts (npm start)', () => {
  it('is not open: anonymous clients are refused, the generated admin account logs in, and the accounts are made once', async () => {
    const port = await sparePort();
    const dir = mkdtempSync(join(tmpdir(), 'gw-services-mosquitto-'));
    const secretsFile = join(dir, 'secrets.env');
    const env = {
      MQTT_PORT: String(port),
      MOSQUITTO_DATA_DIR: join(dir, 'mosquitto'),
      SECRETS_FILE: secretsFile,
      SERVICES_STARTED_FILE: join(dir, 'started'),
    };
    const publish = (...login: string[]) =>
      spawnSync(
        'mosquitto_pub',
        ['-h', '127.0.0.1', '-p', String(port), ...login, '-t', 'gridwatch/probe', '-m', 'x'],
        { encoding: 'utf8', timeout: 10_000 },
      );
    try {
      const started = bash('start_mosquitto && wait_for mosquitto && cmd_broker_auth', env);
      assert.equal(started.status, 0, started.stderr);
      assert.match(started.stdout, /^dynsec$/m);
      const secrets = Object.fromEntries(
        readFileSync(secretsFile, 'utf8')
          .trim()
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      assert.deepEqual(Object.keys(secrets).sort(), [
        'MQTT_ADMIN_PASSWORD',
        'MQTT_ADMIN_USERNAME',
        'MQTT_PASSWORD',
        'MQTT_USERNAME',
      ]);
      assert.match(secrets['MQTT_ADMIN_PASSWORD'], /^[A-Za-z0-9_-]{32}$/);
      assert.notEqual(secrets['MQTT_ADMIN_PASSWORD'], secrets['MQTT_PASSWORD']);
      assert.equal(statSync(secretsFile).mode & 0o777, 0o600);
      const config = readFileSync(join(dir, 'mosquitto', 'mosquitto.conf'), 'utf8');
      assert.match(config, /^allow_anonymous false$/m);
      assert.match(config, /^max_packet_size \d+$/m);
      assert.match(config, /^plugin .*mosquitto_dynamic_security\.so$/m);
      assert.match(config, new RegExp(`^listener ${port} 127\\.0\\.0\\.1$`, 'm'));

      const anonymous = publish();
      assert.notEqual(anonymous.status, 0);
      assert.match(anonymous.stderr, /not authori[sz]ed/i);
      const wrong = publish('-u', secrets['MQTT_ADMIN_USERNAME'], '-P', 'not-the-password');
      assert.notEqual(wrong.status, 0);
      const admin = publish(
        '-u',
        secrets['MQTT_ADMIN_USERNAME'],
        '-P',
        secrets['MQTT_ADMIN_PASSWORD'],
      );
      assert.equal(admin.status, 0, admin.stderr);

      // Stopped and started again: the same accounts, the admin still logs in.
      const restarted = bash('cmd_stop && start_mosquitto && wait_for mosquitto', env);
      assert.equal(restarted.status, 0, restarted.stderr);
      assert.equal(readFileSync(secretsFile, 'utf8').trim().split('\n').length, 4);
      const again = publish(
        '-u',
        secrets['MQTT_ADMIN_USERNAME'],
        '-P',
        secrets['MQTT_ADMIN_PASSWORD'],
      );
      assert.equal(again.status, 0, again.stderr);
      assert.notEqual(publish().status, 0);
    } finally {
      bash('cmd_stop', env);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tools/services.sh: the Docker fallback (no package, no apt-get)', () => {
  // A stand-in for Docker: a shell function that records what it was asked and with which broker
  // settings; `ps` answers "running" once `up` has run.
  const FAKE_DOCKER = `
    docker_ok() { return 0; }
    is_up() { return 1; }
    port_open() { return 1; }
    installed() { [[ $1 != mosquitto ]]; }
    start_service() { return 0; }
    can_apt() { return 1; }
    wait_for() { return 0; }
    pg_after_up() { return 0; }
    docker() {
      echo "docker $* MQTT_AUTH=\${MQTT_AUTH:-} MQTT_ADMIN_USERNAME=\${MQTT_ADMIN_USERNAME:-} MQTT_ADMIN_PASSWORD=\${MQTT_ADMIN_PASSWORD:-}" >>"$DOCKER_LOG"
      if [[ " $* " == *" ps "* ]]; then [[ -f $DOCKER_LOG.up ]] && echo 0123abcd; fi
      if [[ " $* " == *" up "* ]]; then touch "$DOCKER_LOG.up"; fi
      return 0
    }`;

  for (const auth of ['dynsec', 'anonymous']) {
    it(`starts Mosquitto with MQTT_AUTH=${auth}${auth === 'dynsec' ? ' and the admin account of SECRETS_FILE; broker-auth then says dynsec' : '; broker-auth says none'}`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'gw-services-docker-'));
      const log = join(dir, 'docker.log');
      const env = {
        MQTT_AUTH: auth,
        MOSQUITTO_DATA_DIR: join(dir, 'mosquitto'),
        SECRETS_FILE: join(dir, 'secrets.env'),
        SERVICES_STARTED_FILE: join(dir, 'started'),
        DOCKER_LOG: log,
      };
      try {
        const run = bash(`${FAKE_DOCKER}; cmd_ensure && cmd_broker_auth`, env);
        const calls = readFileSync(log, 'utf8');
        const up = calls.split('\n').find((line) => / up -d mosquitto /.test(line)) ?? '';
        assert.match(up, new RegExp(`MQTT_AUTH=${auth} `), calls);
        if (auth === 'dynsec') {
          assert.equal(run.status, 0, run.stderr);
          assert.match(run.stdout, /^dynsec$/m);
          const secrets = readFileSync(env.SECRETS_FILE, 'utf8');
          const admin = /^MQTT_ADMIN_PASSWORD=(.+)$/m.exec(secrets)?.[1] ?? '';
          assert.ok(admin.length >= 32);
          assert.ok(
            up.includes(`MQTT_ADMIN_PASSWORD=${admin}`),
            'compose did not get the admin account',
          );
        } else {
          assert.notEqual(run.status, 0);
          assert.match(run.stdout, /^none: /m);
          assert.ok(!existsSync(env.SECRETS_FILE));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
