import { DateTime } from 'luxon';
import type { MeterEntity, SiteEntity } from '@gridwatch/server';
import type { TestUser } from './support/factory';
import { ingestReadings, series } from './support/readings-fixture';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Issue 15: every analytics and report endpoint hides another organization's site and meter, and
 * consumption and cost answer compare=year with the same local period a year earlier.
 */
describe('energy analytics: tenant isolation on every endpoint, compare=year', () => {
  let t: TestApp;
  let site: SiteEntity;
  let meter: MeterEntity;
  let owner: TestUser;
  let stranger: TestUser;
  let subscriptionId: string;
  const day = DateTime.utc().startOf('day').minus({ days: 5 });
  const yearEarlier = day.minus({ years: 1 });
  const range = { from: day.toISO() ?? '', to: day.plus({ days: 1 }).toISO() ?? '' };

  beforeAll(async () => {
    t = await createTestApp({ INGEST_MAX_AGE_SECONDS: String(30 * 86400) });
    const org = await t.factory.organization();
    site = await t.factory.site(org, { timezone: 'UTC', name: 'Isolated depot' });
    const gateway = await t.factory.gateway(site);
    meter = await t.factory.meter(site, gateway, 'main', { heartbeatIntervalSeconds: 1800 });
    owner = await t.factory.user(org, 'owner');
    stranger = await t.factory.user(await t.factory.organization(), 'owner');
    await t.http
      .put(`/api/v1/sites/${site.id}/tariff`)
      .set('Authorization', owner.auth)
      .send({
        type: 'flat',
        currency: 'GBP',
        standingChargePerDay: 0,
        periods: [{ validFrom: yearEarlier.toISODate(), price: 0.5 }],
      })
      .expect(200);
    const created = await t.http
      .post('/api/v1/reports/subscriptions')
      .set('Authorization', owner.auth)
      .send({ siteId: site.id, period: 'week', recipients: ['energy@test.gridwatch.dev'] })
      .expect(201);
    subscriptionId = created.body.id;
    // The day: 1 kWh per half-hour, 48 kWh.
    const readings = series(
      meter,
      'energy_kwh',
      day.minus({ minutes: 30 }),
      day.plus({ days: 1 }),
      30,
      (i) => 100 + i,
    );
    await ingestReadings(t, gateway, await t.factory.credential(gateway), owner, readings);
  }, 120000);
  afterAll(() => t?.close());

  const ANALYTICS: Array<[string, Record<string, string>]> = [
    ['consumption', { interval: 'day' }],
    ['cost', { interval: 'day' }],
    ['usage-profile', { parameter: 'power_w' }],
    ['operating-hours', {}],
    ['peak-demand', { interval: 'day', window: '30' }],
  ];

  it.each(ANALYTICS)(
    "%s: the owner gets an answer, another organization's owner 404 for the site and the meter",
    async (path, extra) => {
      for (const [scope, id] of [
        ['site', site.id],
        ['meter', meter.id],
      ]) {
        const query = { scope, id, ...range, ...extra };
        await t.http
          .get(`/api/v1/analytics/${path}`)
          .query(query)
          .set('Authorization', owner.auth)
          .expect(200);
        const hidden = await t.http
          .get(`/api/v1/analytics/${path}`)
          .query(query)
          .set('Authorization', stranger.auth)
          .expect(404);
        expect(hidden.text).not.toContain('energyKwh');
      }
    },
  );

  it("an organization scope totals the caller's own organization only", async () => {
    const own = await t.http
      .get('/api/v1/analytics/consumption')
      .query({ scope: 'organization', ...range, interval: 'day' })
      .set('Authorization', stranger.auth)
      .expect(200);
    expect(own.body.items[0].energyKwh).toBe(0);
  });

  it("reports in every format, the tariff and the subscriptions hide another organization's", async () => {
    for (const format of ['json', 'csv', 'pdf']) {
      const hidden = await t.http
        .get(`/api/v1/reports/site/${site.id}`)
        .query({ period: 'week', format })
        .set('Authorization', stranger.auth)
        .expect(404);
      expect(hidden.headers['content-type']).toMatch(/application\/json/);
    }
    await t.http
      .get(`/api/v1/sites/${site.id}/tariff`)
      .set('Authorization', stranger.auth)
      .expect(404);
    const list = await t.http
      .get('/api/v1/reports/subscriptions')
      .set('Authorization', stranger.auth)
      .expect(200);
    expect(list.body.items.map((item: { id: string }) => item.id)).not.toContain(subscriptionId);
    await t.http
      .delete(`/api/v1/reports/subscriptions/${subscriptionId}`)
      .set('Authorization', stranger.auth)
      .expect(404);
    const mine = await t.http
      .get('/api/v1/reports/subscriptions')
      .set('Authorization', owner.auth)
      .expect(200);
    expect(mine.body.items.map((item: { id: string }) => item.id)).toContain(subscriptionId);
  });

  // Readings older than INGEST_MAX_AGE_SECONDS (at most 365 days) cannot be sent, so the year
  // before has no data here: its period, zero and an undefined percentage are what is checked
  // (the local-calendar arithmetic of a year earlier: libs/domain local-periods.spec.ts).
  it('compare=year carries the same local day a year earlier and the change', async () => {
    const consumption = await t.http
      .get('/api/v1/analytics/consumption')
      .query({ scope: 'meter', id: meter.id, ...range, interval: 'day', compare: 'year' })
      .set('Authorization', owner.auth)
      .expect(200);
    expect(consumption.body.items).toHaveLength(1);
    const [item] = consumption.body.items;
    expect(item).toMatchObject({
      energyKwh: 48,
      compared: { energyKwh: 0, coverage: 0, changeKwh: 48, changePercent: null },
    });
    expect(Date.parse(item.compared.start)).toBe(yearEarlier.toMillis());
    expect(Date.parse(item.compared.end)).toBe(yearEarlier.plus({ days: 1 }).toMillis());
    const cost = await t.http
      .get('/api/v1/analytics/cost')
      .query({ scope: 'site', id: site.id, ...range, interval: 'day', compare: 'year' })
      .set('Authorization', owner.auth)
      .expect(200);
    expect(cost.body.items[0]).toMatchObject({ energyKwh: 48, cost: 24 });
    expect(cost.body.items[0].compared).toMatchObject({ energyKwh: 0, cost: 0 });
    expect(Date.parse(cost.body.items[0].compared.start)).toBe(yearEarlier.toMillis());
  });
});
