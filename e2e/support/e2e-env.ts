import { join, resolve } from 'node:path';

/** The workspace root: the dist paths and the artifacts folder are relative to it. */
export const WORKSPACE_ROOT = resolve(__dirname, '../..');
export const ARTIFACTS_DIR = join(WORKSPACE_ROOT, 'e2e/artifacts');
export const API_DIST = join(WORKSPACE_ROOT, 'dist/apps/api');
export const WEB_DIST = join(WORKSPACE_ROOT, 'dist/apps/web/browser');

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

/** The demo organization `cli.js seed-demo` creates. */
export const DEMO = {
  organizationName: 'GridWatch Demo',
  password: 'gridwatch-demo',
  viewerEmail: 'viewer@demo.gridwatch.dev',
  operatorEmail: 'operator@demo.gridwatch.dev',
  meterCount: 12,
  gatewayCount: 3,
  siteCount: 2,
} as const;
