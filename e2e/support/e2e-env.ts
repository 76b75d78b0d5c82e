import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';

/** The workspace root: the dist paths and the artifacts folder are relative to it. */
export const WORKSPACE_ROOT = resolve(__dirname, '../..');
export const ARTIFACTS_DIR = join(WORKSPACE_ROOT, 'e2e/artifacts');
/** Screenshots of the main pages at desktop and phone sizes, for review. */
export const SCREENSHOTS_DIR = join(WORKSPACE_ROOT, 'dist/e2e-screenshots');
export const API_DIST = join(WORKSPACE_ROOT, 'dist/apps/api');
export const WEB_DIST = join(WORKSPACE_ROOT, 'dist/apps/web/browser');
export const TRANSPORT_DIST = join(WORKSPACE_ROOT, 'dist/apps/transport');

/**
 * Where the global setup points the demo's Modbus gateway until a test gives it a simulator: an
 * address outside MODBUS_ALLOWED_NETWORKS (127.0.0.0/8), so the transport never connects to it.
 * The demo's own 127.0.0.1:5020 may be another run's simulator on a shared machine.
 */
export const PARKED_MODBUS_HOST = '192.0.2.1';

/** Set by the global setup, read by the tests (jest workers inherit the environment). */
const BASE_URL_VARIABLE = 'GRIDWATCH_E2E_BASE_URL';

export function setBaseUrl(url: string): void {
  process.env[BASE_URL_VARIABLE] = url;
}

export function baseUrl(): string {
  const url = process.env[BASE_URL_VARIABLE];
  if (!url)
    throw new Error(`${BASE_URL_VARIABLE} is unset: run through jest -c e2e/jest.e2e.config.cts`);
  return url;
}

/** What the system tests reach behind the API: the run's database, queue keys and transport. */
export interface SystemUnderTest {
  databaseUrl: string;
  /** QUEUE_PREFIX of the API and the transport: their Redis keys start with `<prefix>:`. */
  queuePrefix: string;
  redisUrl: string;
  mqttUrl: string;
  /** The demo manifest `cli.js seed-demo` wrote: device secrets and meter ids. */
  manifestPath: string;
  /** The built transport's health and metrics. */
  transportUrl: string;
}

const SYSTEM_VARIABLE = 'GRIDWATCH_E2E_SYSTEM';

export function setSystemUnderTest(system: SystemUnderTest): void {
  process.env[SYSTEM_VARIABLE] = JSON.stringify(system);
}

export function systemUnderTest(): SystemUnderTest {
  const system = process.env[SYSTEM_VARIABLE];
  if (!system)
    throw new Error(`${SYSTEM_VARIABLE} is unset: run through jest -c e2e/jest.e2e.config.cts`);
  return JSON.parse(system) as SystemUnderTest;
}

/** The demo organization `cli.js seed-demo` creates. */
export const DEMO = {
  organizationName: 'GridWatch Demo',
  // Generated per run (global setup seeds with it; test workers inherit the environment).
  password: (process.env['DEMO_PASSWORD'] ??= randomBytes(12).toString('base64url')),
  viewerEmail: 'viewer@demo.gridwatch.dev',
  operatorEmail: 'operator@demo.gridwatch.dev',
  ownerEmail: 'owner@demo.gridwatch.dev',
  supportEmail: 'support@demo.gridwatch.dev',
  meterCount: 12,
  gatewayCount: 3,
  siteCount: 2,
} as const;
