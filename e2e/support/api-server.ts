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
export function startApi(
  env: NodeJS.ProcessEnv,
  baseUrl: string,
  logPath: string,
): Promise<ChildProcess> {
  return startService({
    name: 'The API',
    script: join(API_DIST, 'main.js'),
    env,
    healthUrl: `${baseUrl}/api/v1/health`,
    logPath,
  });
}

export interface ServiceSpec {
  /** For messages: "The API", "The transport". */
  name: string;
  /** The built entry point, run with this Node. */
  script: string;
  env: NodeJS.ProcessEnv;
  /** Polled until it answers 200. */
  healthUrl: string;
  logPath: string;
}

/** Starts a built app, logging to `spec.logPath`, and waits until its health URL answers 200. */
export async function startService(spec: ServiceSpec): Promise<ChildProcess> {
  const log = createWriteStream(spec.logPath);
  const child = spawn(process.execPath, [spec.script], {
    cwd: WORKSPACE_ROOT,
    env: spec.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  try {
    await waitForHealth(child, spec.name, spec.healthUrl);
  } catch (error) {
    await stopProcess(child);
    const output = readFileSync(spec.logPath, 'utf8').split('\n').slice(-40).join('\n');
    throw new Error(`${(error as Error).message}\n--- log (${spec.logPath}) ---\n${output}`);
  }
  return child;
}

async function waitForHealth(child: ChildProcess, name: string, url: string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((wake) => setTimeout(wake, 200));
  }
  throw new Error(`${name} did not answer 200 on ${url} within ${HEALTH_TIMEOUT_MS / 1000} s`);
}

/** SIGTERM, then SIGKILL if it has not exited within a few seconds. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
