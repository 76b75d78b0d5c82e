import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import type { MeterEntity } from '@gridwatch/server';
import { AlertTenant, minutesAgo, ownQueues } from './support/alerts';
import type { TestUser } from './support/factory';
import { createTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

describe('alert lifecycle', () => {
  let t: TestApp;
  let port: number;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    t = await createTestApp(ownQueues('lifecycle'));
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await t.close();
  });

  /** A rule on the meter whose reading of 150 W raises an alert; answers the alert's id. */
  async function raise(tenant: AlertTenant, meter: MeterEntity, severity = 'warning') {
    await tenant.rule({
      name: `hot ${meter.name}`,
      scope: { meterId: meter.id },
      parameter: 'power_w',
      condition: 'above',
      threshold: 100,
      severity,
    });
    await tenant.sendAndJudge([{ meter, value: 150, at: minutesAgo(5) }]);
    const [alert] = await tenant.alertsOf(meter);
    return alert['id'] as string;
  }

  const get = (user: TestUser, path: string) =>
    t.http.get(`/api/v1/alerts${path}`).set('Authorization', user.auth);
  const post = (user: TestUser, path: string, body: object = {}) =>
    t.http.post(`/api/v1/alerts${path}`).set('Authorization', user.auth).send(body);

  it('acknowledge then resolve, with the timeline, audit events and 409 naming the allowed moves', async () => {
    const tenant = await AlertTenant.create(t);
    const operator = await t.factory.user(tenant.org, 'operator');
    const id = await raise(tenant, await tenant.meter());

    const acked = await post(operator, `/${id}/acknowledge`, { note: 'on it' }).expect(200);
    expect(acked.body).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: operator.user.id,
      acknowledgeNote: 'on it',
    });
    const again = await post(operator, `/${id}/acknowledge`).expect(409);
    expect(again.body).toMatchObject({
      error: 'illegal_status_transition',
      details: { from: 'acknowledged', to: 'acknowledged', allowed: ['resolved'] },
    });
    const resolved = await post(operator, `/${id}/resolve`, { note: 'fixed' }).expect(200);
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      resolution: 'manual',
      resolvedBy: operator.user.id,
    });
    const late = await post(operator, `/${id}/resolve`).expect(409);
    expect(late.body.details).toEqual({ from: 'resolved', to: 'resolved', allowed: [] });

    const detail = await get(operator, `/${id}`).expect(200);
    expect(detail.body.timeline.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(['triggered', 'acknowledged', 'resolved']),
    );
    expect(
      detail.body.timeline.find((e: { kind: string }) => e.kind === 'acknowledged'),
    ).toMatchObject({
      userId: operator.user.id,
      data: { note: 'on it' },
    });
    const audit = await t.db.query(
      `SELECT type FROM events WHERE subject_id = $1 ORDER BY occurred_at`,
      [id],
    );
    expect(audit.map((e: { type: string }) => e.type)).toEqual([
      'alert.triggered',
      'alert.acknowledged',
      'alert.resolved',
    ]);
  });

  it('lists with filters, counts and a cursor; bulk acknowledge; CSV export of the history', async () => {
    const tenant = await AlertTenant.create(t);
    const meters = [await tenant.meter(), await tenant.meter(), await tenant.meter()];
    const ids = [
      await raise(tenant, meters[0], 'critical'),
      await raise(tenant, meters[1], 'warning'),
      await raise(tenant, meters[2], 'warning'),
    ];
    const owner = tenant.owner;
    const all = await get(owner, '').expect(200);
    expect(all.body).toMatchObject({
      total: 3,
      counts: {
        byStatus: { active: 3, acknowledged: 0, resolved: 0 },
        bySeverity: { critical: 1, warning: 2, info: 0, error: 0 },
      },
    });
    const critical = await get(owner, '?severity=critical').expect(200);
    expect(critical.body.items.map((a: { id: string }) => a.id)).toEqual([ids[0]]);
    const byMeter = await get(owner, `?meterId=${meters[1].id}`).expect(200);
    expect(byMeter.body.items.map((a: { id: string }) => a.id)).toEqual([ids[1]]);
    const first = await get(owner, '?limit=2').expect(200);
    const second = await get(owner, `?limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect(
      [...first.body.items, ...second.body.items].map((a: { id: string }) => a.id).sort(),
    ).toEqual([...ids].sort());
    await get(owner, '?status=sleeping').expect(400);

    const bulk = await post(owner, '/acknowledge', { ids: [ids[0], ids[1]] }).expect(200);
    expect(bulk.body.acknowledged.sort()).toEqual([ids[0], ids[1]].sort());
    const twice = await post(owner, '/acknowledge', { ids: [ids[0], ids[2]] }).expect(200);
    expect(twice.body).toEqual({ acknowledged: [ids[2]], skipped: [ids[0]] });
    const acknowledged = await get(owner, '?status=acknowledged').expect(200);
    expect(acknowledged.body.total).toBe(3);

    const csv = await get(owner, '/export.csv').expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toContain('id,triggeredAt,status,severity');
    expect(lines).toHaveLength(4);
    for (const id of ids) expect(csv.text).toContain(id);
  });

  it('publishes alert.triggered and alert.updated to the organization, site and meter rooms', async () => {
    const tenant = await AlertTenant.create(t);
    const meter = await tenant.meter();
    const socket = io(`http://127.0.0.1:${port}/realtime`, {
      auth: { token: tenant.owner.token },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const ack = await socket
      .timeout(5000)
      .emitWithAck('subscribe', { kind: 'site', id: tenant.site.id });
    expect(ack).toMatchObject({ ok: true });
    const received: Array<{ event: string; status: string }> = [];
    socket.onAny((event: string, payload: { alert?: { status: string } }) => {
      if (event.startsWith('alert.')) received.push({ event, status: payload.alert?.status ?? '' });
    });
    const id = await raise(tenant, meter);
    await post(tenant.owner, `/${id}/acknowledge`).expect(200);
    await waitFor(async () => (received.length >= 2 ? true : undefined), 5000, 'alert events');
    expect(received).toEqual([
      { event: 'alert.triggered', status: 'active' },
      { event: 'alert.updated', status: 'acknowledged' },
    ]);
  });

  it('a viewer reads alerts but gets 403 on acknowledge and resolve; another organization gets 404', async () => {
    const tenant = await AlertTenant.create(t);
    const viewer = await t.factory.user(tenant.org, 'viewer');
    const id = await raise(tenant, await tenant.meter());
    await get(viewer, `/${id}`).expect(200);
    await post(viewer, `/${id}/acknowledge`).expect(403);
    await post(viewer, `/${id}/resolve`).expect(403);
    await post(viewer, '/acknowledge', { ids: [id] }).expect(403);

    const stranger = await t.factory.user(await t.factory.organization(), 'owner');
    const missing = await get(stranger, `/${id}`).expect(404);
    expect(missing.body.error).toBe('alert_not_found');
    await post(stranger, `/${id}/acknowledge`).expect(404);
    await post(stranger, `/${id}/resolve`).expect(404);
    const bulk = await post(stranger, '/acknowledge', { ids: [id] }).expect(200);
    expect(bulk.body).toEqual({ acknowledged: [], skipped: [id] });
    const list = await get(stranger, '').expect(200);
    expect(list.body.total).toBe(0);
    const csv = await get(stranger, '/export.csv').expect(200);
    expect(csv.text).not.toContain(id);
    const [{ status }] = await t.db.query('SELECT status FROM alerts WHERE id = $1', [id]);
    expect(status).toBe('active');
  });
});
