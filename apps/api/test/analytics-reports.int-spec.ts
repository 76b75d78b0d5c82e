import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import { SMTPServer } from 'smtp-server';
import { lastDueReport } from '@gridwatch/domain';
import type { OrganizationEntity, SiteEntity } from '@gridwatch/server';
import { ReportSubscriptionsService } from '../src/modules/reports/report-subscriptions.service';
import type { TestUser } from './support/factory';
import { ownQueues } from './support/alerts';
import { ingestReadings, series } from './support/readings-fixture';
import { createTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

const ZONE = 'Europe/London';

interface ReceivedMail {
  to: string[];
  raw: string;
}

/** The parts of a multipart MIME message, base64 bodies decoded. */
function mimeParts(raw: string): Array<{ headers: string; body: Buffer }> {
  const boundary = /boundary="?([^"\r\n;]+)"?/.exec(raw)?.[1];
  if (!boundary) return [];
  return raw
    .split(`--${boundary}`)
    .slice(1, -1)
    .flatMap((part) => {
      const split = part.indexOf('\r\n\r\n');
      const headers = part.slice(0, split);
      if (/multipart\//i.test(headers)) return mimeParts(part);
      const body = part.slice(split + 4);
      return [
        {
          headers,
          body: /base64/i.test(headers)
            ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
            : Buffer.from(body),
        },
      ];
    });
}

/** Text drawn by an uncompressed PDF: each TJ array's hex strings, decoded and joined. */
function pdfText(pdf: Buffer): string[] {
  const source = pdf.toString('latin1');
  return [...source.matchAll(/\[([^\]]*)\]\s*TJ/g)].map((match) =>
    [...match[1].matchAll(/<([0-9a-fA-F]*)>/g)]
      .map((hex) => Buffer.from(hex[1], 'hex').toString('latin1'))
      .join(''),
  );
}

describe('site reports and their weekly e-mail', () => {
  let t: TestApp;
  let smtp: SMTPServer;
  const inbox: ReceivedMail[] = [];
  let org: OrganizationEntity;
  let site: SiteEntity;
  let owner: TestUser;
  // The week the scheduler sends at "now + 7 days": always complete by then, and begun by now.
  const sendAt = DateTime.now().plus({ days: 7 }).toMillis();
  const week = lastDueReport(sendAt, ZONE, 'week');
  const monday = DateTime.fromMillis(week.start, { zone: ZONE });

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          inbox.push({
            to: session.envelope.rcptTo.map((address) => address.address),
            raw: Buffer.concat(chunks).toString('latin1'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    t = await createTestApp({
      ...ownQueues('reports_smtp'),
      INGEST_MAX_AGE_SECONDS: String(365 * 86400),
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      SMTP_FROM: 'GridWatch <reports@test.gridwatch.dev>',
    });
    org = await t.factory.organization();
    site = await t.factory.site(org, { timezone: ZONE, name: 'Depot North' });
    const gateway = await t.factory.gateway(site);
    const meter = await t.factory.meter(site, gateway, 'main', { heartbeatIntervalSeconds: 900 });
    owner = await t.factory.user(org, 'owner');
    await t.http
      .put(`/api/v1/sites/${site.id}/tariff`)
      .set('Authorization', owner.auth)
      .send({
        type: 'flat',
        currency: 'GBP',
        standingChargePerDay: 0.5,
        periods: [{ validFrom: monday.minus({ days: 30 }).toISODate(), price: 0.2 }],
      })
      .expect(200);
    // 1 kWh per quarter-hour on the week's Monday, 00:00 to 03:45 local: 16 kWh.
    const readings = series(
      meter,
      'energy_kwh',
      monday.minus({ minutes: 15 }),
      monday.plus({ hours: 3, minutes: 45 }),
      15,
      (i) => 200 + i,
    );
    await ingestReadings(t, gateway, await t.factory.credential(gateway), owner, readings);
    // Two alerts raised at the site in the week, one the week before, one at another site.
    const rule = await t.factory.alerts.rule(org);
    const at = (time: DateTime) => ({ triggeredAt: time.toJSDate() });
    await t.factory.alerts.alert(rule, meter, at(monday.plus({ hours: 9 })));
    await t.factory.alerts.alert(rule, meter, {
      ...at(monday.plus({ days: 6, hours: 23 })),
      status: 'resolved',
    });
    await t.factory.alerts.alert(rule, meter, {
      ...at(monday.minus({ minutes: 1 })),
      status: 'resolved',
    });
    const elsewhere = await t.factory.site(org, { timezone: ZONE });
    await t.factory.alerts.alert(
      rule,
      await t.factory.meter(elsewhere),
      at(monday.plus({ hours: 9 })),
    );
  }, 120000);
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('e-mails the weekly report once, on Monday 07:00 site time, with the figures and a PDF', async () => {
    const created = await t.http
      .post('/api/v1/reports/subscriptions')
      .set('Authorization', owner.auth)
      .send({ siteId: site.id, period: 'week', recipients: ['energy@test.gridwatch.dev'] })
      .expect(201);
    expect(created.body.nextReportAt.slice(11)).toMatch(/^07:00:00[+-]\d\d:\d\d$/);
    const scheduler = t.app.get(ReportSubscriptionsService);
    expect(await scheduler.sendDue(week.dueAt - 60_000)).toBe(0);
    expect(await scheduler.sendDue(sendAt)).toBe(1);
    expect(await scheduler.sendDue(sendAt)).toBe(0);
    // The scheduler only queues the report: the notification queue's worker sends it.
    const mail = await waitFor(async () => inbox[0], 20000, 'the report e-mail');
    expect(mail.to).toEqual(['energy@test.gridwatch.dev']);
    expect(mail.raw).toContain('Subject: GridWatch weekly report: Depot North');
    const parts = mimeParts(mail.raw);
    const text = parts.find((part) => /text\/plain/i.test(part.headers))?.body.toString() ?? '';
    // 16 kWh x 0.20 + 7 days x 0.50 standing charge; no opening hours, so all out of hours;
    // 2 kWh per half-hour = 4 kW from Monday 00:00; coverage 16 x 900 s over 7 days.
    expect(text).toContain('Energy: 16 kWh');
    expect(text).toContain('Cost: 6.70 GBP');
    expect(text).toContain('Out of hours: 100.0 %');
    expect(text).toContain(
      `Peak demand (30 min): 4 kW at ${monday.toISO({ suppressMilliseconds: true })}`,
    );
    expect(text).toContain('Data coverage: 2.4 %');
    expect(text).toContain('Alerts raised: 2');
    const pdf = parts.find((part) => /application\/pdf/i.test(part.headers))?.body;
    expect(pdf?.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf?.subarray(-6).toString()).toContain('%%EOF');
    const lines = pdfText(pdf ?? Buffer.alloc(0));
    expect(lines).toContain('Energy report: Depot North');
    expect(lines).toContain('Energy: 16 kWh');
    expect(lines).toContain('Cost: 6.70 GBP');
    const lastRun = await waitFor(
      async () => {
        const list = await t.http
          .get('/api/v1/reports/subscriptions')
          .set('Authorization', owner.auth)
          .expect(200);
        const run = list.body.items[0].lastRun;
        return run?.status === 'sent' ? run : undefined;
      },
      10000,
      'the subscription marked sent',
    );
    expect(lastRun).toMatchObject({
      status: 'sent',
      reason: null,
      periodStart: monday.toISO({ suppressMilliseconds: true }),
    });
    expect(inbox).toHaveLength(1);
  });

  it('answers the report as JSON and CSV for a chosen week', async () => {
    const query = { period: 'week', date: monday.plus({ days: 2 }).toISODate() ?? '' };
    const json = await t.http
      .get(`/api/v1/reports/site/${site.id}`)
      .query(query)
      .set('Authorization', owner.auth)
      .expect(200);
    expect(json.body).toMatchObject({
      siteName: 'Depot North',
      energyKwh: 16,
      cost: 6.7,
      alertsRaised: 2,
    });
    expect(json.body.days).toHaveLength(7);
    const csv = await t.http
      .get(`/api/v1/reports/site/${site.id}`)
      .query({ ...query, format: 'csv' })
      .set('Authorization', owner.auth)
      .expect(200)
      .expect('Content-Type', /text\/csv/);
    const rows = csv.text.trim().split('\n');
    expect(rows[0]).toBe('date,energy_kwh,cost_GBP,coverage');
    expect(rows[1]).toBe(`${monday.toISODate()},16,3.7,0.1667`);
    expect(rows[8]).toBe('total,16,6.7,0.0238');
  });

  it('answers the report as a PDF with the figures and a labelled bar per day', async () => {
    const response = await t.http
      .get(`/api/v1/reports/site/${site.id}`)
      .query({ period: 'week', date: monday.toISODate() ?? '', format: 'pdf' })
      .set('Authorization', owner.auth)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200)
      .expect('Content-Type', /application\/pdf/);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="site-report-${monday.toISODate()}.pdf"`,
    );
    const pdf = response.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const lines = pdfText(pdf);
    expect(lines).toEqual(
      expect.arrayContaining([
        'Energy report: Depot North',
        'Energy: 16 kWh',
        'Cost: 6.70 GBP',
        'Daily energy (kWh)',
        // One bar label per local day of the week.
        ...Array.from({ length: 7 }, (_, day) => monday.plus({ days: day }).toFormat('MM-dd')),
      ]),
    );
  });

  it("hides another organization's site from reports and subscriptions (404)", async () => {
    const stranger = await t.factory.user(await t.factory.organization(), 'owner');
    await t.http
      .get(`/api/v1/reports/site/${site.id}`)
      .set('Authorization', stranger.auth)
      .expect(404);
    await t.http
      .post('/api/v1/reports/subscriptions')
      .set('Authorization', stranger.auth)
      .send({ siteId: site.id, period: 'week', recipients: ['x@test.gridwatch.dev'] })
      .expect(404);
    const viewer = await t.factory.user(org, 'viewer');
    await t.http
      .post('/api/v1/reports/subscriptions')
      .set('Authorization', viewer.auth)
      .send({ siteId: site.id, period: 'week', recipients: ['x@test.gridwatch.dev'] })
      .expect(403);
  });
});

describe('a due report without SMTP', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(ownQueues('reports_nosmtp'));
  });
  afterAll(() => t.close());

  it('is marked skipped with the reason, once, instead of being retried every minute', async () => {
    const org = await t.factory.organization();
    const owner = await t.factory.user(org, 'owner');
    const site = await t.factory.site(org, { timezone: ZONE, name: 'No mail site' });
    await t.http
      .post('/api/v1/reports/subscriptions')
      .set('Authorization', owner.auth)
      .send({ siteId: site.id, period: 'week', recipients: ['energy@test.gridwatch.dev'] })
      .expect(201);
    const scheduler = t.app.get(ReportSubscriptionsService);
    const sendAt = DateTime.now().plus({ days: 7 }).toMillis();
    expect(await scheduler.sendDue(sendAt)).toBeGreaterThanOrEqual(1);
    const lastRun = await waitFor(
      async () => {
        const list = await t.http
          .get('/api/v1/reports/subscriptions')
          .set('Authorization', owner.auth)
          .expect(200);
        const run = list.body.items[0].lastRun;
        return run?.status === 'skipped' ? run : undefined;
      },
      20000,
      'the subscription marked skipped',
    );
    expect(lastRun.reason).toMatch(/SMTP_URL is not set/);
    // The next minute's check finds nothing due: the skipped period is not queued again.
    await scheduler.sendDue(sendAt + 60_000);
    const after = await t.http
      .get('/api/v1/reports/subscriptions')
      .set('Authorization', owner.auth)
      .expect(200);
    expect(after.body.items[0].lastRun).toMatchObject({ status: 'skipped' });
  });
});
