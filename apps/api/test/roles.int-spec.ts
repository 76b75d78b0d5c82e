import { randomUUID } from 'node:crypto';
import { ROLE_SCOPES, ROLES, type Role, type Scope } from '@gridwatch/contracts';
import { IngestBatchEntity, type OrganizationEntity } from '@gridwatch/server';
import type { Factory, TestUser } from './support/factory';
import { createTestApp, TestApp } from './support/test-app';

interface Call {
  path: string;
  body?: object;
}

interface Endpoint {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  route: string;
  /** The scope DESIGN.md's role table implies; written here independently of the code. */
  scope: Scope | null;
  /** The answer a permitted caller gets (2xx, or 404 where no such object can be arranged). */
  ok: number;
  arrange: (f: Factory, org: OrganizationEntity) => Promise<Call>;
}

const site = (f: Factory, org: OrganizationEntity) => f.site(org);
const gateway = async (f: Factory, org: OrganizationEntity) => f.gateway(await site(f, org));
const meter = async (f: Factory, org: OrganizationEntity) => f.meter(await site(f, org));
const serial = () => `GW-${randomUUID().slice(0, 8)}`;
const alertRule = (f: Factory, org: OrganizationEntity) => f.alerts.rule(org);
const alert = async (f: Factory, org: OrganizationEntity) =>
  f.alerts.alert(await alertRule(f, org), await meter(f, org));
const ruleBody = {
  name: 'R',
  parameter: 'power_w',
  condition: 'above',
  threshold: 1,
  severity: 'info',
};
const ticket = (f: Factory, org: OrganizationEntity) => f.ticket(org);
const ticketPath = async (f: Factory, org: OrganizationEntity, suffix = '') =>
  `/api/v1/tickets/${(await ticket(f, org)).id}${suffix}`;

const analyticsPath = async (f: Factory, org: OrganizationEntity, what: string) => {
  const range = 'from=2026-01-05T00:00:00Z&to=2026-01-12T00:00:00Z';
  return { path: `/api/v1/analytics/${what}?scope=site&id=${(await site(f, org)).id}&${range}` };
};
const flatTariff = {
  type: 'flat',
  currency: 'GBP',
  standingChargePerDay: 0.5,
  periods: [{ validFrom: '2025-01-01', price: 0.2 }],
};

/** Every protected endpoint; a route the API serves but this table lacks fails the suite. */
const ENDPOINTS: Endpoint[] = [
  {
    method: 'get',
    route: '/api/v1/auth/me',
    scope: null,
    ok: 200,
    arrange: async () => ({ path: '/api/v1/auth/me' }),
  },
  {
    method: 'get',
    route: '/api/v1/data-quality-issues',
    scope: 'readings:read',
    ok: 200,
    arrange: async () => ({ path: '/api/v1/data-quality-issues' }),
  },
  {
    method: 'post',
    route: '/api/v1/data-quality-issues/{id}/resolve',
    scope: 'devices:write',
    ok: 200,
    arrange: async (f, org) => ({
      path: `/api/v1/data-quality-issues/${(await f.dataQualityIssue(await meter(f, org))).id}/resolve`,
    }),
  },
  {
    method: 'get',
    route: '/api/v1/events',
    scope: 'settings:read',
    ok: 200,
    arrange: async () => ({ path: '/api/v1/events' }),
  },
  {
    method: 'get',
    route: '/api/v1/realtime/metrics',
    scope: 'settings:read',
    ok: 200,
    arrange: async () => ({ path: '/api/v1/realtime/metrics' }),
  },
  {
    method: 'get',
    route: '/api/v1/users',
    scope: 'users:manage',
    ok: 200,
    arrange: async () => ({ path: '/api/v1/users' }),
  },
  {
    method: 'post',
    route: '/api/v1/users',
    scope: 'users:manage',
    ok: 201,
    arrange: async () => ({
      path: '/api/v1/users',
      body: { email: `${randomUUID()}@example.com`, name: 'N', role: 'viewer' },
    }),
  },
  {
    method: 'get',
    route: '/api/v1/users/{id}',
    scope: 'users:manage',
    ok: 200,
    arrange: async (f, org) => ({ path: `/api/v1/users/${(await f.user(org, 'viewer')).user.id}` }),
  },
  {
    method: 'patch',
    route: '/api/v1/users/{id}',
    scope: 'users:manage',
    ok: 200,
    arrange: async (f, org) => ({
      path: `/api/v1/users/${(await f.user(org, 'viewer')).user.id}`,
      body: { name: 'Renamed' },
    }),
  },
  {
    method: 'get',
    route: '/api/v1/sites',
    scope: 'devices:read',
    ok: 200,
    arrange: async () => ({ path: '/api/v1/sites' }),
  },
  {
    method: 'post',
    route: '/api/v1/sites',
    scope: 'devices:write',
    ok: 201,
    arrange: async () => ({
      path: '/api/v1/sites',
      body: { code: serial(), name: 'New site', timezone: 'Europe/Paris' },
    }),
  },
  {
    method: 'get',
    route: '/api/v1/sites/{id}',
    scope: 'devices:read',
    ok: 200,
    arrange: async (f, org) => ({ path: `/api/v1/sites/${(await site(f, org)).id}` }),
  },
  {
    method: 'patch',
    route: '/api/v1/sites/{id}',
    scope: 'devices:write',
    ok: 200,
    arrange: async (f, org) => ({
      path: `/api/v1/sites/${(await site(f, org)).id}`,
      body: { name: 'Renamed' },
    }),
  },
  {
    method: 'delete',
    route: '/api/v1/sites/{id}',
    scope: 'devices:write',
    ok: 204,
    arrange: async (f, org) => ({ path: `/api/v1/sites/${(await site(f, org)).id}` }),
  },
  {
    method: 'get',
    route: '/api/v1/gateways',
    scope: 'devices:read',
    ok: 200,
    arrange: async () => ({ path: '/api/v1/gateways' }),
  },
  {
    method: 'post',
    route: '/api/v1/gateways',
    scope: 'devices:write',
    ok: 201,
    arrange: async (f, org) => ({
      path: '/api/v1/gateways',
      body: {
        serialNumber: serial(),
        name: 'GW',
        siteId: (await site(f, org)).id,
        protocol: 'http',
      },
    }),
  },
  {
    method: 'get',
    route: '/api/v1/gateways/{id}',
    scope: 'devices:read',
    ok: 200,
    arrange: async (f, org) => ({ path: `/api/v1/gateways/${(await gateway(f, org)).id}` }),
  },
  {
    method: 'patch',
    route: '/api/v1/gateways/{id}',
    scope: 'devices:write',
    ok: 200,
    arrange: async (f, org) => ({
      path: `/api/v1/gateways/${(await gateway(f, org)).id}`,
      body: { name: 'Renamed' },
    }),
  },
  {
    method: 'delete',
    route: '/api/v1/gateways/{id}',
    scope: 'devices:write',
    ok: 204,
    arrange: async (f, org) => ({ path: `/api/v1/gateways/${(await gateway(f, org)).id}` }),
  },
  {
    method: 'get',
    route: '/api/v1/meters',
    scope: 'devices:read',
    ok: 200,
    arrange: async () => ({ path: '/api/v1/meters' }),
  },
  {
    method: 'post',
    route: '/api/v1/meters',
    scope: 'devices:write',
    ok: 201,
    arrange: async (f, org) => ({
      path: '/api/v1/meters',
      body: { name: 'M', siteId: (await site(f, org)).id, kind: 'heater' },
    }),
  },
  {
    method: 'get',
    route: '/api/v1/meters/{id}',
    scope: 'devices:read',
    ok: 200,
    arrange: async (f, org) => ({ path: `/api/v1/meters/${(await meter(f, org)).id}` }),
  },
  {
    method: 'patch',
    route: '/api/v1/meters/{id}',
    scope: 'devices:write',
    ok: 200,
    arrange: async (f, org) => ({
      path: `/api/v1/meters/${(await meter(f, org)).id}`,
      body: { name: 'Renamed' },
    }),
  },
  {
    method: 'delete',
    route: '/api/v1/meters/{id}',
    scope: 'devices:write',
    ok: 204,
    arrange: async (f, org) => ({ path: `/api/v1/meters/${(await meter(f, org)).id}` }),
  },
  {
    method: 'post',
    route: '/api/v1/meters/{id}/status',
    scope: 'devices:write',
    ok: 200,
    arrange: async (f, org) => ({
      path: `/api/v1/meters/${(await meter(f, org)).id}/status`,
      body: { status: 'maintenance' },
    }),
  },
  ...(['gateways', 'meters'] as const).flatMap((kind): Endpoint[] => {
    const owner = (f: Factory, org: OrganizationEntity) =>
      kind === 'gateways' ? gateway(f, org) : meter(f, org);
    const withCredential = async (f: Factory, org: OrganizationEntity) => {
      const device = await owner(f, org);
      await f.credential(device);
      return device.id;
    };
    return [
      {
        method: 'post',
        route: `/api/v1/${kind}/{id}/credentials`,
        scope: 'devices:write',
        ok: 201,
        arrange: async (f, org) => ({
          path: `/api/v1/${kind}/${(await owner(f, org)).id}/credentials`,
        }),
      },
      {
        method: 'get',
        route: `/api/v1/${kind}/{id}/credentials`,
        scope: 'devices:write',
        ok: 200,
        arrange: async (f, org) => ({
          path: `/api/v1/${kind}/${await withCredential(f, org)}/credentials`,
        }),
      },
      {
        method: 'post',
        route: `/api/v1/${kind}/{id}/credentials/rotate`,
        scope: 'devices:write',
        ok: 200,
        arrange: async (f, org) => ({
          path: `/api/v1/${kind}/${await withCredential(f, org)}/credentials/rotate`,
        }),
      },
      {
        method: 'delete',
        route: `/api/v1/${kind}/{id}/credentials`,
        scope: 'devices:write',
        ok: 204,
        arrange: async (f, org) => ({
          path: `/api/v1/${kind}/${await withCredential(f, org)}/credentials`,
        }),
      },
    ];
  }),
  {
    method: 'get',
    route: '/api/v1/meters/{id}/readings',
    scope: 'readings:read',
    ok: 200,
    arrange: async (f, org) => ({ path: `/api/v1/meters/${(await meter(f, org)).id}/readings` }),
  },
  {
    method: 'get',
    route: '/api/v1/meters/{id}/readings/latest',
    scope: 'readings:read',
    ok: 200,
    arrange: async (f, org) => ({
      path: `/api/v1/meters/${(await meter(f, org)).id}/readings/latest`,
    }),
  },
  {
    method: 'get',
    route: '/api/v1/meters/{id}/readings/export.csv',
    scope: 'readings:read',
    ok: 200,
    arrange: async (f, org) => ({
      path: `/api/v1/meters/${(await meter(f, org)).id}/readings/export.csv`,
    }),
  },
  {
    method: 'get',
    route: '/api/v1/ingest/batches/{id}',
    scope: 'readings:read',
    ok: 200,
    arrange: async (_f, org) => ({ path: `/api/v1/ingest/batches/${await batch(org)}` }),
  },
  {
    method: 'get',
    route: '/api/v1/ingest/failed',
    scope: 'settings:read',
    ok: 200,
    arrange: async () => ({ path: '/api/v1/ingest/failed' }),
  },
  {
    method: 'get',
    route: '/api/v1/alert-rules',
    scope: 'alerts:read',
    ok: 200,
    arrange: async () => ({ path: '/api/v1/alert-rules' }),
  },
  {
    method: 'post',
    route: '/api/v1/alert-rules',
    scope: 'alerts:write',
    ok: 201,
    arrange: async () => ({ path: '/api/v1/alert-rules', body: ruleBody }),
  },
  {
    method: 'get',
    route: '/api/v1/alert-rules/export',
    scope: 'alerts:read',
    ok: 200,
    arrange: async () => ({ path: '/api/v1/alert-rules/export' }),
  },
  {
    method: 'post',
    route: '/api/v1/alert-rules/import',
    scope: 'alerts:write',
    ok: 201,
    arrange: async () => ({ path: '/api/v1/alert-rules/import', body: { rules: [ruleBody] } }),
  },
  {
    method: 'get',
    route: '/api/v1/alert-rules/{id}',
    scope: 'alerts:read',
    ok: 200,
    arrange: async (f, org) => ({ path: `/api/v1/alert-rules/${(await alertRule(f, org)).id}` }),
  },
  {
    method: 'patch',
    route: '/api/v1/alert-rules/{id}',
    scope: 'alerts:write',
    ok: 200,
    arrange: async (f, org) => ({
      path: `/api/v1/alert-rules/${(await alertRule(f, org)).id}`,
      body: { threshold: 5 },
    }),
  },
  {
    method: 'delete',
    route: '/api/v1/alert-rules/{id}',
    scope: 'alerts:write',
    ok: 204,
    arrange: async (f, org) => ({ path: `/api/v1/alert-rules/${(await alertRule(f, org)).id}` }),
  },
  {
    method: 'get',
    route: '/api/v1/alerts',
    scope: 'alerts:read',
    ok: 200,
    arrange: async () => ({ path: '/api/v1/alerts' }),
  },
  {
    method: 'get',
    route: '/api/v1/alerts/export.csv',
    scope: 'alerts:read',
    ok: 200,
    arrange: async () => ({ path: '/api/v1/alerts/export.csv' }),
  },
  {
    method: 'get',
    route: '/api/v1/alerts/{id}',
    scope: 'alerts:read',
    ok: 200,
    arrange: async (f, org) => ({ path: `/api/v1/alerts/${(await alert(f, org)).id}` }),
  },
  {
    method: 'post',
    route: '/api/v1/alerts/{id}/acknowledge',
    scope: 'alerts:write',
    ok: 200,
    arrange: async (f, org) => ({ path: `/api/v1/alerts/${(await alert(f, org)).id}/acknowledge` }),
  },
  {
    method: 'post',
    route: '/api/v1/alerts/{id}/resolve',
    scope: 'alerts:write',
    ok: 200,
    arrange: async (f, org) => ({ path: `/api/v1/alerts/${(await alert(f, org)).id}/resolve` }),
  },
  {
    method: 'post',
    route: '/api/v1/alerts/{id}/ticket',
    scope: 'tickets:write',
    ok: 201,
    arrange: async (f, org) => ({ path: `/api/v1/alerts/${(await alert(f, org)).id}/ticket` }),
  },
  {
    method: 'post',
    route: '/api/v1/alerts/acknowledge',
    scope: 'alerts:write',
    ok: 200,
    arrange: async (f, org) => ({
      path: '/api/v1/alerts/acknowledge',
      body: { ids: [(await alert(f, org)).id] },
    }),
  },
  {
    method: 'get',
    route: '/api/v1/notifications',
    scope: 'alerts:read',
    ok: 200,
    arrange: async () => ({ path: '/api/v1/notifications' }),
  },
  {
    method: 'get',
    route: '/api/v1/notifications/unread-count',
    scope: 'alerts:read',
    ok: 200,
    arrange: async () => ({ path: '/api/v1/notifications/unread-count' }),
  },
  {
    method: 'post',
    route: '/api/v1/notifications/read-all',
    scope: 'alerts:read',
    ok: 200,
    arrange: async () => ({ path: '/api/v1/notifications/read-all' }),
  },
  // Notifications are the caller's own; none of another user's can be read: a permitted caller gets 404.
  {
    method: 'post',
    route: '/api/v1/notifications/{id}/read',
    scope: 'alerts:read',
    ok: 404,
    arrange: async () => ({ path: `/api/v1/notifications/${randomUUID()}/read` }),
  },
  // No failed job can be arranged cheaply: a permitted caller gets past the guard to a 404.
  {
    method: 'post',
    route: '/api/v1/ingest/failed/{id}/retry',
    scope: 'settings:write',
    ok: 404,
    arrange: async () => ({ path: `/api/v1/ingest/failed/${randomUUID()}/retry` }),
  },
  {
    method: 'get',
    route: '/api/v1/tickets',
    scope: 'tickets:read',
    ok: 200,
    arrange: async () => ({ path: '/api/v1/tickets' }),
  },
  {
    method: 'post',
    route: '/api/v1/tickets',
    scope: 'tickets:write',
    ok: 201,
    arrange: async () => ({ path: '/api/v1/tickets', body: { subject: 'Meter reads zero' } }),
  },
  {
    method: 'get',
    route: '/api/v1/tickets/{id}',
    scope: 'tickets:read',
    ok: 200,
    arrange: async (f, org) => ({ path: await ticketPath(f, org) }),
  },
  {
    method: 'patch',
    route: '/api/v1/tickets/{id}',
    scope: 'tickets:write',
    ok: 200,
    arrange: async (f, org) => ({ path: await ticketPath(f, org), body: { priority: 'high' } }),
  },
  {
    method: 'post',
    route: '/api/v1/tickets/{id}/status',
    scope: 'tickets:write',
    ok: 200,
    arrange: async (f, org) => ({
      path: await ticketPath(f, org, '/status'),
      body: { status: 'in_progress' },
    }),
  },
  {
    method: 'get',
    route: '/api/v1/tickets/{id}/messages',
    scope: 'tickets:read',
    ok: 200,
    arrange: async (f, org) => ({ path: await ticketPath(f, org, '/messages') }),
  },
  {
    method: 'post',
    route: '/api/v1/tickets/{id}/messages',
    scope: 'tickets:write',
    ok: 201,
    arrange: async (f, org) => ({
      path: await ticketPath(f, org, '/messages'),
      body: { body: 'Hello' },
    }),
  },
  {
    method: 'post',
    route: '/api/v1/tickets/{id}/read',
    scope: 'tickets:read',
    ok: 200,
    arrange: async (f, org) => ({ path: await ticketPath(f, org, '/read') }),
  },
  // A JSON body carries no file: a permitted caller gets past the guard to a 400 (multipart
  // uploads are covered in tickets-attachments.int-spec.ts).
  {
    method: 'post',
    route: '/api/v1/tickets/{id}/attachments',
    scope: 'tickets:write',
    ok: 400,
    arrange: async (f, org) => ({ path: await ticketPath(f, org, '/attachments') }),
  },
  // Stored files are arranged in tickets-attachments.int-spec.ts; here a permitted caller gets
  // past the guard to a 404.
  {
    method: 'get',
    route: '/api/v1/attachments/{id}',
    scope: 'tickets:read',
    ok: 404,
    arrange: async () => ({ path: `/api/v1/attachments/${randomUUID()}` }),
  },
  {
    method: 'post',
    route: '/api/v1/tickets/{id}/snapshots',
    scope: 'tickets:write',
    ok: 201,
    arrange: async (f, org) => ({
      path: await ticketPath(f, org, '/snapshots'),
      body: { meterId: (await meter(f, org)).id },
    }),
  },
  {
    method: 'get',
    route: '/api/v1/tickets/{id}/snapshots',
    scope: 'tickets:read',
    ok: 200,
    arrange: async (f, org) => ({ path: await ticketPath(f, org, '/snapshots') }),
  },
  {
    method: 'get',
    route: '/api/v1/tickets/{id}/snapshots/{version}',
    scope: 'tickets:read',
    ok: 200,
    arrange: async (f, org) => {
      const owned = await ticket(f, org);
      await f.snapshot(owned, await meter(f, org));
      return { path: `/api/v1/tickets/${owned.id}/snapshots/1` };
    },
  },
  {
    method: 'get',
    route: '/api/v1/settings/ticket-sla',
    scope: 'tickets:read',
    ok: 200,
    arrange: async () => ({ path: '/api/v1/settings/ticket-sla' }),
  },
  {
    method: 'put',
    route: '/api/v1/settings/ticket-sla',
    scope: 'settings:write',
    ok: 200,
    arrange: async () => ({
      path: '/api/v1/settings/ticket-sla',
      body: {
        urgent: { firstResponseMinutes: 30, resolutionMinutes: 240 },
        high: { firstResponseMinutes: 120, resolutionMinutes: 1440 },
        normal: { firstResponseMinutes: 480, resolutionMinutes: 4320 },
        low: { firstResponseMinutes: 1440, resolutionMinutes: 10080 },
      },
    }),
  },
  ...['consumption', 'cost', 'usage-profile', 'operating-hours', 'peak-demand'].map(
    (what): Endpoint => ({
      method: 'get',
      route: `/api/v1/analytics/${what}`,
      scope: 'readings:read',
      // A fresh site has no tariff, so its cost is tariff_not_found to whoever may ask.
      ok: what === 'cost' ? 404 : 200,
      arrange: (f, org) => analyticsPath(f, org, what),
    }),
  ),
  {
    method: 'get',
    route: '/api/v1/sites/{id}/tariff',
    scope: 'settings:read',
    ok: 404,
    arrange: async (f, org) => ({ path: `/api/v1/sites/${(await site(f, org)).id}/tariff` }),
  },
  {
    method: 'put',
    route: '/api/v1/sites/{id}/tariff',
    scope: 'settings:write',
    ok: 200,
    arrange: async (f, org) => ({
      path: `/api/v1/sites/${(await site(f, org)).id}/tariff`,
      body: flatTariff,
    }),
  },
  {
    method: 'get',
    route: '/api/v1/reports/site/{id}',
    scope: 'readings:read',
    ok: 200,
    arrange: async (f, org) => ({ path: `/api/v1/reports/site/${(await site(f, org)).id}` }),
  },
  {
    method: 'post',
    route: '/api/v1/reports/subscriptions',
    scope: 'settings:write',
    // An unknown site: a created subscription would fall due in the report tests' scheduler.
    ok: 404,
    arrange: async () => ({
      path: '/api/v1/reports/subscriptions',
      body: { siteId: randomUUID(), period: 'week', recipients: ['energy@test.gridwatch.dev'] },
    }),
  },
  {
    method: 'get',
    route: '/api/v1/reports/subscriptions',
    scope: 'settings:read',
    ok: 200,
    arrange: async () => ({ path: '/api/v1/reports/subscriptions' }),
  },
  {
    method: 'delete',
    route: '/api/v1/reports/subscriptions/{id}',
    scope: 'settings:write',
    ok: 404,
    arrange: async () => ({ path: `/api/v1/reports/subscriptions/${randomUUID()}` }),
  },
];

let t: TestApp;
let batch: (org: OrganizationEntity) => Promise<string>;

describe('role x endpoint matrix', () => {
  let org: OrganizationEntity;
  const users = new Map<Role, TestUser>();

  beforeAll(async () => {
    t = await createTestApp();
    org = await t.factory.organization();
    for (const role of ROLES) users.set(role, await t.factory.user(org, role));
    batch = async (owner) => {
      const id = randomUUID();
      await t.db
        .getRepository(IngestBatchEntity)
        .insert({ id, organizationId: owner.id, source: 'http', accepted: 1 });
      return id;
    };
  });
  afterAll(() => t.close());

  it('the table covers every protected route the API documents', () => {
    const documented: string[] = [];
    for (const [path, item] of Object.entries(t.openApi.paths)) {
      for (const [method, op] of Object.entries(item as Record<string, { security?: object[] }>)) {
        if ((op.security ?? []).some((requirement) => 'jwt' in requirement))
          documented.push(`${method} ${path}`);
      }
    }
    const covered = ENDPOINTS.map((endpoint) => `${endpoint.method} ${endpoint.route}`);
    expect(documented.filter((route) => !covered.includes(route))).toEqual([]);
  });

  const cases = ENDPOINTS.flatMap((endpoint) =>
    ROLES.map((role) => {
      const allowed = endpoint.scope === null || ROLE_SCOPES[role].includes(endpoint.scope);
      return [
        endpoint.method.toUpperCase(),
        endpoint.route,
        role,
        allowed ? endpoint.ok : 403,
        endpoint,
      ] as const;
    }),
  );

  it.each(cases)('%s %s as %s -> %i', async (_method, _route, role, expected, endpoint) => {
    const call = await endpoint.arrange(t.factory, org);
    const request = t.http[endpoint.method](call.path).set(
      'Authorization',
      (users.get(role) as TestUser).auth,
    );
    const response = await (call.body ? request.send(call.body) : request);
    expect({ status: response.status, error: response.body?.error }).toMatchObject({
      status: expected,
      ...(expected === 403 ? { error: 'forbidden' } : {}),
    });
  });

  it.each(
    ENDPOINTS.map((endpoint) => [endpoint.method.toUpperCase(), endpoint.route, endpoint] as const),
  )('%s %s without a token -> 401', async (_method, _route, endpoint) => {
    const call = await endpoint.arrange(t.factory, org);
    const response = await t.http[endpoint.method](call.path).send(call.body ?? {});
    expect(response.status).toBe(401);
  });

  it("a user of organization A gets 404 for each of organization B's objects, on read, update and delete", async () => {
    const a = await t.factory.user(await t.factory.organization(), 'owner');
    const orgB = await t.factory.organization();
    const siteB = await t.factory.site(orgB);
    const gatewayB = await t.factory.gateway(siteB);
    const meterB = await t.factory.meter(siteB, gatewayB);
    await t.factory.credential(gatewayB);
    await t.factory.credential(meterB);
    const ruleB = await t.factory.alerts.rule(orgB);
    const alertB = await t.factory.alerts.alert(ruleB, meterB);
    const notificationB = await t.factory.alerts.notification(
      (await t.factory.user(orgB, 'owner')).user,
      alertB,
    );
    const ticketB = await t.factory.ticket(orgB);
    await t.factory.snapshot(ticketB, meterB);
    const calls: Array<[Endpoint['method'], string, object?]> = [
      ['get', `/api/v1/sites/${siteB.id}`],
      ['patch', `/api/v1/sites/${siteB.id}`, { name: 'x' }],
      ['delete', `/api/v1/sites/${siteB.id}`],
      ['get', `/api/v1/gateways/${gatewayB.id}`],
      ['patch', `/api/v1/gateways/${gatewayB.id}`, { name: 'x' }],
      ['delete', `/api/v1/gateways/${gatewayB.id}`],
      ['get', `/api/v1/meters/${meterB.id}`],
      ['patch', `/api/v1/meters/${meterB.id}`, { name: 'x' }],
      ['post', `/api/v1/meters/${meterB.id}/status`, { status: 'maintenance' }],
      ['delete', `/api/v1/meters/${meterB.id}`],
      ['get', `/api/v1/gateways/${gatewayB.id}/credentials`],
      ['post', `/api/v1/gateways/${gatewayB.id}/credentials/rotate`],
      ['delete', `/api/v1/gateways/${gatewayB.id}/credentials`],
      ['get', `/api/v1/meters/${meterB.id}/credentials`],
      ['post', `/api/v1/meters/${meterB.id}/credentials/rotate`],
      ['delete', `/api/v1/meters/${meterB.id}/credentials`],
      ['get', `/api/v1/meters/${meterB.id}/readings`],
      ['get', `/api/v1/alert-rules/${ruleB.id}`],
      ['patch', `/api/v1/alert-rules/${ruleB.id}`, { threshold: 5 }],
      ['delete', `/api/v1/alert-rules/${ruleB.id}`],
      ['get', `/api/v1/alerts/${alertB.id}`],
      ['post', `/api/v1/alerts/${alertB.id}/acknowledge`],
      ['post', `/api/v1/alerts/${alertB.id}/resolve`],
      ['post', `/api/v1/notifications/${notificationB.id}/read`],
      ['get', `/api/v1/tickets/${ticketB.id}`],
      ['patch', `/api/v1/tickets/${ticketB.id}`, { subject: 'x' }],
      ['get', `/api/v1/tickets/${ticketB.id}/messages`],
      ['get', `/api/v1/tickets/${ticketB.id}/snapshots`],
      ['get', `/api/v1/tickets/${ticketB.id}/snapshots/1`],
    ];
    for (const [method, path, body] of calls) {
      const response = await t.http[method](path)
        .set('Authorization', a.auth)
        .send(body ?? {});
      expect({ call: `${method} ${path}`, status: response.status }).toEqual({
        call: `${method} ${path}`,
        status: 404,
      });
    }
    const viewerOfA = await t.factory.user(await t.factory.organization(), 'viewer');
    const viewerRead = await t.http
      .get(`/api/v1/meters/${meterB.id}`)
      .set('Authorization', viewerOfA.auth);
    expect({ status: viewerRead.status, error: viewerRead.body.error }).toEqual({
      status: 404,
      error: 'meter_not_found',
    });
    for (const list of ['/api/v1/sites', '/api/v1/gateways', '/api/v1/meters']) {
      const response = await t.http.get(list).set('Authorization', a.auth).expect(200);
      const ids = response.body.items.map((item: { id: string }) => item.id);
      expect(ids).not.toEqual(expect.arrayContaining([siteB.id]));
      expect(ids).not.toContain(gatewayB.id);
      expect(ids).not.toContain(meterB.id);
    }
  });
});
