import type { FleetManifest } from '@gridwatch/contracts';
import { ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopProcess } from './api-server';
import { baseUrl, DEMO, WORKSPACE_ROOT } from './e2e-env';

export type DemoManifest = FleetManifest;

export type DemoGatewayEntry = DemoManifest['gateways'][number];

export function readDemoManifest(path: string): DemoManifest {
  return JSON.parse(readFileSync(path, 'utf8')) as DemoManifest;
}

export function demoGateway(manifest: DemoManifest, serialNumber: string): DemoGatewayEntry {
  const gateway = manifest.gateways.find((entry) => entry.serialNumber === serialNumber);
  if (!gateway) throw new Error(`${serialNumber} is not in the demo manifest`);
  return gateway;
}

/** `hex(HMAC-SHA256(secret, timestamp + "." + body))`: REST headers and MQTT envelopes alike. */
export function sign(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** Unix seconds, as devices send them. */
export function unixSeconds(at: number = Date.now()): string {
  return String(Math.floor(at / 1000));
}

/**
 * Polls `probe` until it returns something other than undefined, at most `timeoutMs` (20 s; a
 * reading normally lands within a second). The failure names what was awaited, plus what
 * `diagnose` says about why it did not happen.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 20_000, diagnose }: { timeoutMs?: number; diagnose?: () => Promise<string> } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      const why = diagnose ? `\n${await diagnose().catch((error: Error) => error.message)}` : '';
      throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}${why}`);
    }
    await new Promise((wake) => setTimeout(wake, 250));
  }
}

/** The lines of a Prometheus `GET /metrics` answer that start with `prefix` (no comments). */
export async function metricLines(metricsUrl: string, prefix: string): Promise<string[]> {
  const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`GET ${metricsUrl} answered ${response.status}`);
  return (await response.text()).split('\n').filter((line) => line.startsWith(prefix));
}

/** The value of one unlabelled series (0 when absent). */
export async function metricValue(metricsUrl: string, series: string): Promise<number> {
  const line = (await metricLines(metricsUrl, `${series} `))[0];
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** tools/simulators/modbus-meter.ts serving one manifest gateway on `port`, as a child process. */
export class ModbusSimulator {
  private constructor(
    private readonly child: ChildProcess,
    private readonly output: string[],
  ) {}

  /** Starts the simulator for `gateway` on 127.0.0.1:`port` and waits until it listens. */
  static async start(
    gateway: DemoGatewayEntry,
    port: number,
    workDir: string,
  ): Promise<ModbusSimulator> {
    const manifestPath = join(workDir, 'modbus-manifest.json');
    writeFileSync(
      manifestPath,
      JSON.stringify({ gateways: [{ ...gateway, host: '127.0.0.1', port }] }, null, 2),
      { mode: 0o600 }, // it holds the gateway's secret
    );
    const child = spawn(
      process.execPath,
      [
        '-r',
        './tools/register.js',
        'tools/simulators/modbus-meter.ts',
        '--manifest',
        manifestPath,
        // Counters of its own: the default state file belongs to the developer's `npm start`.
        '--state',
        join(workDir, 'sim-state.json'),
      ],
      { cwd: WORKSPACE_ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    const output: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const simulator = new ModbusSimulator(child, output);
    try {
      await waitFor(
        `the Modbus simulator to listen on port ${port}`,
        async () => {
          if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
          return output.join('').includes(`Modbus TCP on 127.0.0.1:${port}`) || undefined;
        },
        { timeoutMs: 30_000 }, // ts-node compiles it first
      );
    } catch (error) {
      await simulator.stop();
      throw new Error(`Modbus simulator: ${(error as Error).message}\n${simulator.log()}`);
    }
    return simulator;
  }

  log(): string {
    return this.output.join('');
  }

  stop(): Promise<void> {
    return stopProcess(this.child);
  }
}

/** One reading of a gateway batch, in the device-facing (snake_case) shape. */
export interface BatchReading {
  meter_id: string;
  parameter: string;
  value: number;
  unit: string;
  timestamp: string;
}

/** POSTs a signed batch to the REST ingest endpoint as the demo gateway would; answers the status. */
export async function postGatewayBatch(
  apiBaseUrl: string,
  gateway: DemoGatewayEntry,
  at: string,
  readings: BatchReading[],
): Promise<number> {
  const body = JSON.stringify({ gateway_serial: gateway.serialNumber, timestamp: at, readings });
  const timestamp = unixSeconds();
  const response = await fetch(`${apiBaseUrl}/api/v1/readings/ingest`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Device-ID': gateway.serialNumber,
      'X-Timestamp': timestamp,
      'X-Signature': sign(gateway.secret, timestamp, body),
    },
    body,
  });
  return response.status;
}

/** A request to the API as the demo operator; answers the status and the parsed body. */
export async function asOperator(
  method: string,
  path: string,
  body?: object,
): Promise<{ status: number; body: unknown }> {
  const login = await fetch(`${baseUrl()}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: DEMO.operatorEmail, password: DEMO.password }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const response = await fetch(`${baseUrl()}/api/v1/${path}`, {
    method,
    headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}
