import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { API_DIST, WORKSPACE_ROOT } from './e2e-env';

const run = promisify(execFile);
const HEALTH_TIMEOUT_MS = 30_000;

/** Runs `node dist/apps/api/cli.js <command>`, failing with its output when it fails. */
export async function runCli(command: string, env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await run(process.execPath, [join(API_DIST, 'cli.js'), command], {
      cwd: WORKSPACE_ROOT,
      env,
      timeout: 60_000,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`cli.js ${command} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts `node dist/apps/api/main.js`, logging to `logPath`, and waits until it is healthy. */
export async function startApi(
  env: NodeJS.ProcessEnv,
  baseUrl: string,
  logPath: string,
): Promise<ChildProcess> {
  const log = createWriteStream(logPath);
  const api = spawn(process.execPath, [join(API_DIST, 'main.js')], {
    cwd: WORKSPACE_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  api.stdout?.pipe(log);
  api.stderr?.pipe(log);
  try {
    await waitForHealth(api, `${baseUrl}/api/v1/health`);
  } catch (error) {
    await stopApi(api);
    const output = readFileSync(logPath, 'utf8').split('\n').slice(-40).join('\n');
    throw new Error(`${(error as Error).message}\n--- API log (${logPath}) ---\n${output}`);
  }
  return api;
}

async function waitForHealth(api: ChildProcess, url: string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (api.exitCode !== null) throw new Error(`The API exited with code ${api.exitCode}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((wake) => setTimeout(wake, 200));
  }
  throw new Error(`The API did not answer 200 on ${url} within ${HEALTH_TIMEOUT_MS / 1000} s`);
}

/** SIGTERM, then SIGKILL if it has not exited within a few seconds. */
export async function stopApi(api: ChildProcess): Promise<void> {
  if (api.exitCode !== null || api.signalCode !== null) return;
  const exited = new Promise<void>((done) => api.once('exit', () => done()));
  api.kill('SIGTERM');
  const timer = setTimeout(() => api.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
