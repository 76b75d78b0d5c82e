import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runCli, startApi } from './api-server';
import { createDatabase, databaseUrl } from './database';
import { API_DIST, ARTIFACTS_DIR, setBaseUrl, WEB_DIST } from './e2e-env';
import { cleanUp, E2eRun, setRun } from './e2e-run';

/**
 * A fresh database, migrated and seeded with the demo organization, and the built API serving
 * the built SPA on a free port. Teardown stops the API and drops the database.
 */
export default async function globalSetup(): Promise<void> {
  for (const built of [join(API_DIST, 'main.js'), join(WEB_DIST, 'index.html')]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run npx nx run e2e:e2e`);
  }
  const runId = `${Date.now().toString(36)}_${process.pid}`;
  const databaseName = `gridwatch_e2e_${runId}`;
  const workDir = mkdtempSync(join(tmpdir(), 'gridwatch-e2e-'));
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl(databaseName),
    QUEUE_PREFIX: `gwe2e_${runId}`,
    DEMO_MANIFEST: join(workDir, 'demo.json'),
    PORT: String(port),
    WEB_DIST_PATH: WEB_DIST,
  };

  const run: E2eRun = { databaseName, queuePrefix: `gwe2e_${runId}`, workDir, api: null };

  await createDatabase(databaseName);
  try {
    await runCli('migrate', env);
    await runCli('seed-demo', env);
    run.api = await startApi(env, url, join(ARTIFACTS_DIR, 'api.log'));
  } catch (error) {
    // Jest skips the global teardown when the setup fails: clean up here.
    await cleanUp(run);
    throw error;
  }
  setRun(run);
  setBaseUrl(url);
}
