import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { APP_CONFIG, type AppConfig } from '@gridwatch/server';
import type { TestApp } from './test-app';
import { waitFor } from './wait';

export const ROOT = resolve(__dirname, '../../../..');
export const API_MAIN = join(ROOT, 'dist/apps/api/main.js');
export const TRANSPORT_MAIN = join(ROOT, 'dist/apps/transport/main.js');

/** A built app running as a child process, with everything it printed. */
export interface BuiltApp {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
}

/**
 * Starts `node <main>` from the repository root with the test app's secrets (the run's own) and
 * `env`, as an operator would. Fails when the build is missing.
 */
export function startBuiltApp(main: string, api: TestApp, env: Record<string, string>): BuiltApp {
  if (!existsSync(main)) throw new Error(`${main} is missing: run "npx nx run-many -t build"`);
  const config = api.app.get<AppConfig>(APP_CONFIG);
  let output = '';
  const child = spawn(process.execPath, [main], {
    cwd: ROOT,
    env: {
      ...process.env,
      METRICS_PORT: '0',
      JWT_SECRET: config.jwtSecret,
      CREDENTIALS_ENCRYPTION_KEY: config.credentialsKey.toString('base64'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit(code ?? signal ?? 'unknown')),
  );
  return { child, output: () => output, exited };
}

/** Waits until the app printed `text`; the error carries what it printed. */
export async function waitForOutput(app: BuiltApp, text: string, timeoutMs = 30_000) {
  await waitFor(
    async () => (app.output().includes(text) ? true : undefined),
    timeoutMs,
    `"${text}" in the output`,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; the output:\n${app.output()}`);
  });
}

/** Waits until GET `url` answers 200. */
export async function waitForOk(app: BuiltApp, url: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    async () => {
      if (app.child.exitCode !== null) throw new Error(`exited early:\n${app.output()}`);
      const ok = await fetch(url).then(
        (response) => response.ok,
        () => false,
      );
      return ok ? true : undefined;
    },
    timeoutMs,
    `${url} to answer 200`,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; the output:\n${app.output()}`);
  });
}

/** SIGTERM, then SIGKILL if it is still running after `graceMs`. */
export async function stopBuiltApp(app: BuiltApp | undefined, graceMs = 15_000): Promise<void> {
  if (!app || app.child.exitCode !== null || app.child.signalCode !== null) return;
  app.child.kill('SIGTERM');
  const timer = setTimeout(() => app.child.kill('SIGKILL'), graceMs);
  await app.exited;
  clearTimeout(timer);
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolveOpen) => {
    const socket = new Socket();
    const done = (open: boolean) => {
      socket.destroy();
      resolveOpen(open);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.connect(port, host);
  });
}
