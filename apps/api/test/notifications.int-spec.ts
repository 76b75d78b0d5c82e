import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { SMTPServer } from 'smtp-server';
import { NotificationsProcessor } from '../src/modules/notifications/notifications.processor';
import { AlertTenant, minutesAgo, ownQueues } from './support/alerts';
import { createTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

interface Caught {
  to: string[];
  raw: string;
}

interface Hook {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/* Notifications reach a real SMTP server and a real HTTP receiver started by the test. */
describe('notifications', () => {
  let t: TestApp;
  /** Without SMTP_URL, on queues of its own. Made first: Passport keeps the last app's JWT strategy. */
  let plain: TestApp;
  let smtp: SMTPServer;
  let receiver: Server;
  const mail: Caught[] = [];
  const hooks: Hook[] = [];
  let answers: number[] = [];
  let hookPort: number;
  let apiPort: number;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    plain = await createTestApp(ownQueues('notify_plain'));
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
        stream.on('end', () => {
          mail.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const answered = answers.shift() ?? 200;
        hooks.push({ headers: request.headers, body, answered });
        response.writeHead(answered).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookPort = (receiver.address() as AddressInfo).port;
    t = await createTestApp({
      ...ownQueues('notify'),
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      SMTP_FROM: 'GridWatch Test <alerts@test.gridwatch.dev>',
      WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
      NOTIFICATION_RETRY_DELAY_MS: '100',
    });
    await t.app.listen(0, '127.0.0.1');
    apiPort = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await t?.close();
    await plain?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('e-mails the recipients, posts a signed webhook (a 500 retried until it succeeds) and logs each delivery', async () => {
    const tenant = await AlertTenant.create(t);
    const meter = await tenant.meter('ups');
    const created = await t.http
      .post('/api/v1/alert-rules')
      .set('Authorization', tenant.owner.auth)
      .send({
        name: 'UPS mains low',
        parameter: 'voltage_v',
        condition: 'below',
        threshold: 200,
        severity: 'critical',
        channels: ['email', 'webhook'],
        recipients: {
          emails: ['facilities@example.com'],
          webhookUrl: `http://127.0.0.1:${hookPort}/hook`,
        },
      })
      .expect(201);
    const secret = created.body.webhookSecret as string;
    answers = [500, 500];
    hooks.length = 0;

    await tenant.sendAndJudge([{ meter, value: 185, at: minutesAgo(2), parameter: 'voltage_v' }]);
    const [alert] = await tenant.alertsOf(meter);

    const email = await waitFor(
      async () => mail.find((m) => m.to.includes('facilities@example.com')),
      15_000,
      'the e-mail',
    );
    expect(email.raw).toMatch(/Subject: \[GridWatch\] CRITICAL: UPS mains low/);
    expect(email.raw).toContain('alerts@test.gridwatch.dev');

    const delivered = await waitFor(
      async () => hooks.find((hook) => hook.answered === 200),
      15_000,
      'a successful webhook delivery',
    );
    expect(hooks.map((hook) => hook.answered)).toEqual([500, 500, 200]);
    const signature = delivered.headers['x-gridwatch-signature'] as string;
    const expected = `sha256=${createHmac('sha256', secret).update(delivered.body).digest('hex')}`;
    expect(timingSafeEqual(Buffer.from(signature), Buffer.from(expected))).toBe(true);
    expect(delivered.headers['x-gridwatch-event']).toBe('alert.triggered');
    expect(JSON.parse(delivered.body)).toMatchObject({
      event: 'alert.triggered',
      alert: { id: alert['id'], status: 'active', severity: 'critical', lastValue: 185 },
    });
    // A forged body does not match the signature.
    const forged = `sha256=${createHmac('sha256', secret).update(`${delivered.body} `).digest('hex')}`;
    expect(forged).not.toBe(signature);

    const detail = await waitFor(
      async () => {
        const response = await t.http
          .get(`/api/v1/alerts/${alert['id']}`)
          .set('Authorization', tenant.owner.auth);
        const sent = response.body.deliveries.filter(
          (d: { status: string }) => d.status === 'sent',
        );
        return sent.length === 2 ? response.body : undefined;
      },
      10_000,
      'both deliveries logged',
    );
    expect(detail.deliveries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          channel: 'email',
          target: 'facilities@example.com',
          status: 'sent',
          attempts: 1,
        }),
        expect.objectContaining({ channel: 'webhook', status: 'sent', attempts: 3 }),
      ]),
    );
    expect(detail.timeline.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(['triggered', 'notification_sent']),
    );
  });

  it('a 4xx from the webhook is not retried; the delivery is logged failed', async () => {
    const tenant = await AlertTenant.create(t);
    const meter = await tenant.meter();
    await tenant.rule({
      name: 'gone',
      parameter: 'power_w',
      condition: 'above',
      threshold: 1,
      channels: ['webhook'],
      recipients: { webhookUrl: `http://127.0.0.1:${hookPort}/gone` },
    });
    answers = [410];
    hooks.length = 0;
    await tenant.sendAndJudge([{ meter, value: 5, at: minutesAgo(1) }]);
    const [alert] = await tenant.alertsOf(meter);
    const failed = await waitFor(async () => {
      const [row] = await t.db.query(
        `SELECT status, attempts, error FROM notification_deliveries WHERE alert_id = $1`,
        [alert['id']],
      );
      return row?.status === 'failed' ? row : undefined;
    });
    expect(failed).toMatchObject({ attempts: 1, error: 'webhook answered 410' });
    expect(hooks).toHaveLength(1);
  });

  it('in-app: the user is notified live, lists, counts and reads their own notifications only', async () => {
    const tenant = await AlertTenant.create(t);
    const viewer = await t.factory.user(tenant.org, 'viewer');
    const meter = await tenant.meter();
    const socket = io(`http://127.0.0.1:${apiPort}/realtime`, {
      auth: { token: viewer.token },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(socket);
    const live: Array<{ userId: string; notification: { title: string } }> = [];
    socket.on('notification.created', (payload) => live.push(payload));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    await tenant.rule({
      name: 'hot',
      parameter: 'power_w',
      condition: 'above',
      threshold: 100,
      recipients: { userIds: [viewer.user.id] },
    });
    await tenant.sendAndJudge([{ meter, value: 150, at: minutesAgo(3) }]);
    await tenant.sendAndJudge([{ meter, value: 50, at: minutesAgo(2) }]);

    const count = () =>
      t.http.get('/api/v1/notifications/unread-count').set('Authorization', viewer.auth);
    await waitFor(
      async () => ((await count()).body.unread === 2 ? true : undefined),
      10_000,
      'two notifications',
    );
    const list = await t.http
      .get('/api/v1/notifications')
      .set('Authorization', viewer.auth)
      .expect(200);
    expect(list.body.total).toBe(2);
    expect(list.body.items.map((n: { event: string }) => n.event)).toEqual([
      'alert.resolved',
      'alert.triggered',
    ]);
    await waitFor(async () => (live.length === 2 ? true : undefined), 5000, 'live notifications');
    expect(live[0]).toMatchObject({
      userId: viewer.user.id,
      notification: { title: expect.stringContaining('hot') },
    });

    const ownerList = await t.http
      .get('/api/v1/notifications')
      .set('Authorization', tenant.owner.auth)
      .expect(200);
    expect(ownerList.body.total).toBe(0);
    const first = list.body.items[0].id as string;
    await t.http
      .post(`/api/v1/notifications/${first}/read`)
      .set('Authorization', tenant.owner.auth)
      .expect(404);
    const read = await t.http
      .post(`/api/v1/notifications/${first}/read`)
      .set('Authorization', viewer.auth)
      .expect(200);
    expect(read.body.read).toBe(true);
    expect((await count()).body.unread).toBe(1);
    const all = await t.http
      .post('/api/v1/notifications/read-all')
      .set('Authorization', viewer.auth)
      .expect(200);
    expect(all.body).toEqual({ marked: 1 });
    expect((await count()).body.unread).toBe(0);
    const unread = await t.http
      .get('/api/v1/notifications?unread=true')
      .set('Authorization', viewer.auth)
      .expect(200);
    expect(unread.body.items).toEqual([]);
  });

  it('without SMTP_URL an e-mail delivery is logged as skipped with the reason', async () => {
    const tenant = await AlertTenant.create(plain);
    const meter = await tenant.meter();
    await tenant.rule({
      name: 'mail me',
      parameter: 'power_w',
      condition: 'above',
      threshold: 1,
      channels: ['email'],
      recipients: { emails: ['nobody@example.com'] },
    });
    await tenant.sendAndJudge([{ meter, value: 5, at: minutesAgo(1) }]);
    const [alert] = await tenant.alertsOf(meter);
    const row = await waitFor(async () => {
      const [delivery] = await plain.db.query(
        `SELECT status, error FROM notification_deliveries WHERE alert_id = $1`,
        [alert['id']],
      );
      return delivery?.status === 'pending' ? undefined : delivery;
    });
    expect(row).toEqual({ status: 'skipped', error: 'SMTP_URL is not set' });
  });

  it('a fan-out run twice (Bull is at-least-once) adds no second delivery', async () => {
    const tenant = await AlertTenant.create(t);
    const meter = await tenant.meter();
    await tenant.rule({ name: 'twice', parameter: 'power_w', condition: 'above', threshold: 1 });
    await tenant.sendAndJudge([{ meter, value: 5, at: minutesAgo(1) }]);
    const [alert] = await tenant.alertsOf(meter);
    const processor = t.app.get(NotificationsProcessor);
    const job = {
      fanOutId: randomUUID(),
      organizationId: tenant.org.id,
      alertId: alert['id'] as string,
      event: 'alert.repeated' as const,
      notifyOwners: false,
    };
    await processor.fanOut(job);
    await processor.fanOut(job);
    const [{ n }] = await t.db.query(
      'SELECT count(*)::int AS n FROM notification_deliveries WHERE fan_out_id = $1',
      [job.fanOutId],
    );
    expect(n).toBe(1);
  });
});
