import type {
  AlertPage,
  AlertView,
  ErrorResponse,
  GatewayView,
  MeResponse,
  MeterView,
  Page,
  SiteView,
  TokenPair,
} from '@gridwatch/contracts';
import { scopesOf } from '@gridwatch/contracts';

/** Test data in the API's shapes, one line each; override only what a test is about. */
export function aUser(overrides: Partial<MeResponse> = {}): MeResponse {
  const role = overrides.role ?? 'viewer';
  return {
    id: '6c2b3a52-5f7e-4b8e-9d86-2a1d4f1b0c01',
    email: `${role}@demo.gridwatch.dev`,
    name: 'Vera Viewer',
    role,
    organizationId: '0b9f0c3e-8d6a-4f44-a0f9-5f2e7c1d9a10',
    organizationName: 'GridWatch Demo',
    lastLoginAt: null,
    scopes: [...scopesOf(role)],
    ...overrides,
  };
}

export function aTokenPair(accessToken: string, refreshToken: string): TokenPair {
  return { accessToken, refreshToken, expiresIn: 900, tokenType: 'Bearer' };
}

export function anError(statusCode: number, error: string, message: string): ErrorResponse {
  return { statusCode, error, message };
}

export function aPage<T>(items: T[], total = items.length): Page<T> {
  return { items, total };
}

export function aSite(overrides: Partial<SiteView> = {}): SiteView {
  return {
    id: 'a1f3c2d4-0000-4000-8000-000000000001',
    code: 'LDN-HQ',
    name: 'London head office',
    timezone: 'Europe/London',
    address: null,
    latitude: null,
    longitude: null,
    operatingHours: {},
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

export function aGateway(overrides: Partial<GatewayView> = {}): GatewayView {
  return {
    id: 'b2e4d3c5-0000-4000-8000-000000000001',
    serialNumber: 'GW-TEST-01',
    name: 'Test router',
    siteId: aSite().id,
    protocol: 'http',
    host: null,
    port: null,
    pollIntervalSeconds: 1800,
    status: 'online',
    lastSeenAt: null,
    missedPings: 0,
    connection: {},
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

export function aMeter(overrides: Partial<MeterView> = {}): MeterView {
  return {
    id: 'c3f5e4d6-0000-4000-8000-000000000001',
    name: 'Main incomer',
    siteId: aSite().id,
    gatewayId: null,
    kind: 'main',
    model: null,
    firmware: null,
    location: null,
    tags: [],
    metadata: {},
    modbusUnitId: null,
    registerMap: null,
    rangeOverrides: {},
    heartbeatIntervalSeconds: 300,
    status: 'online',
    lastSeenAt: null,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

/** A page of alerts with the fields a test names (the rest left out), and zero counts. */
export function anAlertPage(alerts: Partial<AlertView>[]): AlertPage {
  return {
    items: alerts as AlertView[],
    total: alerts.length,
    counts: {
      byStatus: { active: 0, acknowledged: 0, resolved: 0 },
      bySeverity: { info: 0, warning: 0, error: 0, critical: 0 },
    },
  };
}
