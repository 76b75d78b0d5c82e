import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runCli, startApi, startService } from './api-server';
import { createDatabase, databaseUrl, withDatabase } from './database';
import {
  API_DIST,
  ARTIFACTS_DIR,
  PARKED_MODBUS_HOST,
  setBaseUrl,
  setSystemUnderTest,
  TRANSPORT_DIST,
  WEB_DIST,
} from './e2e-env';
import { cleanUp, E2eRun, setRun } from './e2e-run';

/**
 * A fresh database, migrated and seeded with the demo organization, the built API serving the
 * built SPA on a free port, and the built transport (MQTT subscriber, Modbus poller) on the same
 * database and queue. Teardown stops both and drops the database.
 */
export default async function globalSetup(): Promise<void> {
  const entryPoints = [
    join(API_DIST, 'main.js'),
    join(WEB_DIST, 'index.html'),
    join(TRANSPORT_DIST, 'main.js'),
  ];
  for (const built of entryPoints) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run npx nx run e2e:e2e`);
  }
  const runId = `${Date.now().toString(36)}_${process.pid}`;
  const databaseName = `gridwatch_e2e_${runId}`;
  const queuePrefix = `gwe2e_${runId}`;
  const workDir = mkdtempSync(join(tmpdir(), 'gridwatch-e2e-'));
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const [port, transportPort] = await Promise.all([freePort(), freePort()]);
  const url = `http://127.0.0.1:${port}`;
  const transportUrl = `http://127.0.0.1:${transportPort}`;
  const mqttUrl = process.env['MQTT_URL'] || 'mqtt://127.0.0.1:1883';
  const redisUrl = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
  const manifestPath = join(workDir, 'demo.json');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl(databaseName),
    QUEUE_PREFIX: queuePrefix,
    REDIS_URL: redisUrl,
    MQTT_URL: mqttUrl,
    DEMO_MANIFEST: manifestPath,
    PORT: String(port),
    WEB_DIST_PATH: WEB_DIST,
    // The run's own secrets, shared by the CLI, the API and the transport (device secrets are
    // sealed with the key by one and opened by the others).
    JWT_SECRET: randomBytes(48).toString('base64'),
    CREDENTIALS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
  // Other runs share the broker: a share group and client id of this run's own, and a session
  // that does not outlive the run by long.
  const transportInstanceId = `e2e-${runId}`;
  const transportEnv: NodeJS.ProcessEnv = {
    ...env,
    TRANSPORT_PORT: String(transportPort),
    TRANSPORT_INSTANCE_ID: transportInstanceId,
    MQTT_SHARE_GROUP: `gridwatch-e2e-${runId}`,
    MQTT_SESSION_EXPIRY_SECONDS: '30',
    MODBUS_RELOAD_SECONDS: '1',
    // The demo's Modbus gateway is parked at an address the transport refuses until the system
    // test re-points it; a run longer than five polls opens its breaker meanwhile, and the test
    // would wait out the 60 s default cool-down.
    MODBUS_BREAKER_COOLDOWN_SECONDS: '3',
  };

  const apiLog = join(ARTIFACTS_DIR, 'api.log');
  const transportLog = join(ARTIFACTS_DIR, 'transport.log');
  const run: E2eRun = {
    databaseName,
    queuePrefix,
    workDir,
    api: null,
    transport: null,
    transportInstanceId,
    mqttUrl,
    logPaths: [apiLog, transportLog],
    secrets: runSecrets(env),
  };

  await createDatabase(databaseName);
  try {
    await runCli('migrate', env);
    await runCli('seed-demo', env);
    Object.assign(run.secrets, deviceSecrets(manifestPath));
    await withDatabase(env['DATABASE_URL'] as string, (client) =>
      client.query(`UPDATE gateways SET host = $1 WHERE protocol = 'modbus_tcp'`, [
        PARKED_MODBUS_HOST,
      ]),
    );
    const [api, transport] = await Promise.allSettled([
      startApi(env, url, apiLog),
      startService({
        name: 'The transport',
        script: join(TRANSPORT_DIST, 'main.js'),
        env: transportEnv,
        healthUrl: `${transportUrl}/health`,
        logPath: transportLog,
      }),
    ]);
    if (api.status === 'fulfilled') run.api = api.value;
    if (transport.status === 'fulfilled') run.transport = transport.value;
    for (const started of [api, transport]) if (started.status === 'rejected') throw started.reason;
  } catch (error) {
    // Jest skips the global teardown when the setup fails: clean up here.
    await cleanUp(run);
    throw error;
  }
  setRun(run);
  setBaseUrl(url);
  setSystemUnderTest({
    databaseUrl: env['DATABASE_URL'] as string,
    queuePrefix,
    redisUrl,
    mqttUrl,
    manifestPath,
    transportUrl,
  });
}

/** The run's own secrets and any broker password it was given. */
function runSecrets(env: NodeJS.ProcessEnv): Record<string, string> {
  const names = [
    'JWT_SECRET',
    'CREDENTIALS_ENCRYPTION_KEY',
    'DEMO_PASSWORD',
    'MQTT_PASSWORD',
    'MQTT_ADMIN_PASSWORD',
    'METRICS_TOKEN',
  ];
  return Object.fromEntries(
    names.flatMap((name) => (env[name] ? [[name, env[name] as string]] : [])),
  );
}

/** The demo devices' secrets, from the manifest seed-demo wrote. */
function deviceSecrets(manifestPath: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    gateways: { serialNumber: string; secret: string }[];
  };
  return Object.fromEntries(
    manifest.gateways.map((gateway) => [
      `device secret of ${gateway.serialNumber}`,
      gateway.secret,
    ]),
  );
}
