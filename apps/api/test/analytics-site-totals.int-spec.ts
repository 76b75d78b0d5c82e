import { DateTime } from 'luxon';
import type { MeterEntity, OrganizationEntity, SiteEntity } from '@gridwatch/server';
import type { TestUser } from './support/factory';
import { ingestReadings, series, type FixtureReading } from './support/readings-fixture';
import { createTestApp, TestApp } from './support/test-app';

/**
 * A main incomer measures everything behind it: a site that has one totals its main meters only,
 * so a heater sub-metered behind the incomer is not counted twice. A site without a main meter
 * totals every energy meter.
 */
describe('site and organization totals count each kWh once', () => {
  let t: TestApp;
  let org: OrganizationEntity;
  let metered: SiteEntity;
  let unmetered: SiteEntity;
  let main: MeterEntity;
  let heater: MeterEntity;
  let owner: TestUser;
  // 00:00-04:00 UTC three days ago: the incomer 2 kWh (8 kW) per quarter-hour, the heater behind
  // it 1 kWh (4 kW); on the site without an incomer a heater and the lights 1 kWh each.
  const day = DateTime.utc().startOf('day').minus({ days: 3 });
  const range = { from: day.toISO() ?? '', to: day.plus({ days: 1 }).toISO() ?? '' };

  function quarterHours(meter: MeterEntity, kwh: number, watts: number): FixtureReading[] {
    const from = day.minus({ minutes: 15 });
    const to = day.plus({ hours: 3, minutes: 45 });
    return [
      ...series(meter, 'energy_kwh', from, to, 15, (i) => 100 + kwh * i),
      ...series(meter, 'power_w', day, to, 15, () => watts),
    ];
  }

  beforeAll(async () => {
    t = await createTestApp({ INGEST_MAX_AGE_SECONDS: String(365 * 86400) });
    org = await t.factory.organization();
    owner = await t.factory.user(org, 'owner');
    const interval = { heartbeatIntervalSeconds: 900 };
    metered = await t.factory.site(org, { timezone: 'UTC', name: 'Incomer site' });
    const gateway = await t.factory.gateway(metered);
    main = await t.factory.meter(metered, gateway, 'main', { name: 'Incomer', ...interval });
    heater = await t.factory.meter(metered, gateway, 'heater', { name: 'Heater', ...interval });
    unmetered = await t.factory.site(org, { timezone: 'UTC', name: 'No incomer' });
    const gateway2 = await t.factory.gateway(unmetered);
    const heater2 = await t.factory.meter(unmetered, gateway2, 'heater', interval);
    const lights = await t.factory.meter(unmetered, gateway2, 'lighting', interval);
    await t.http
      .put(`/api/v1/sites/${metered.id}/tariff`)
      .set('Authorization', owner.auth)
      .send({
        type: 'flat',
        currency: 'GBP',
        standingChargePerDay: 0,
        periods: [{ validFrom: day.minus({ days: 30 }).toISODate(), price: 0.1 }],
      })
      .expect(200);
    await ingestReadings(t, gateway, await t.factory.credential(gateway), owner, [
      ...quarterHours(main, 2, 8000),
      ...quarterHours(heater, 1, 4000),
    ]);
    await ingestReadings(t, gateway2, await t.factory.credential(gateway2), owner, [
      ...quarterHours(heater2, 1, 4000),
      ...quarterHours(lights, 1, 4000),
    ]);
  }, 120000);
  afterAll(() => t.close());

  async function get(path: string, query: Record<string, string | number>) {
    const response = await t.http.get(path).query(query).set('Authorization', owner.auth);
    expect(response.status).toBe(200);
    return response.body;
  }

  it('consumption of a site with an incomer is the incomer; groupBy still shows the heater', async () => {
    const site = { scope: 'site', id: metered.id, ...range, interval: 'day' };
    const total = await get('/api/v1/analytics/consumption', site);
    expect(total.items[0].energyKwh).toBe(32);
    expect(total.items[0].coverage).toBe(0.1667);
    const byKind = await get('/api/v1/analytics/consumption', { ...site, groupBy: 'kind' });
    expect(byKind.items[0].energyKwh).toBe(32);
    const groups = Object.fromEntries(
      (byKind.groups as Array<{ key: string; items: Array<{ energyKwh: number }> }>).map(
        (group) => [group.key, group.items[0].energyKwh],
      ),
    );
    expect(groups).toEqual({ main: 32, heater: 16 });
    const heaterOnly = { scope: 'meter', id: heater.id, ...range, interval: 'day' };
    expect((await get('/api/v1/analytics/consumption', heaterOnly)).items[0].energyKwh).toBe(16);
  });

  it.each(['week', 'month', 'year'])(
    'a %s total, summed by the database, equals the incomer read meter by meter',
    async (interval) => {
      const site = {
        scope: 'site',
        id: metered.id,
        from: day.minus({ days: 40 }).toISO() ?? '',
        to: day.plus({ days: 40 }).toISO() ?? '',
        interval,
        groupBy: 'meter',
      };
      const body = await get('/api/v1/analytics/consumption', site);
      const incomer = (body.groups as Array<{ key: string; items: unknown[] }>).find(
        (group) => group.key === main.id,
      );
      expect(body.items).toEqual(incomer?.items);
      expect(
        (body.items as Array<{ energyKwh: number }>).reduce((sum, item) => sum + item.energyKwh, 0),
      ).toBe(32);
    },
  );

  it('a site without an incomer sums its meters, and the organization sums its sites', async () => {
    const other = { scope: 'site', id: unmetered.id, ...range, interval: 'day' };
    expect((await get('/api/v1/analytics/consumption', other)).items[0].energyKwh).toBe(32);
    const all = { scope: 'organization', ...range, interval: 'day' };
    expect((await get('/api/v1/analytics/consumption', all)).items[0].energyKwh).toBe(64);
  });

  it('cost, operating hours, peak demand and the usage profile count the incomer only', async () => {
    const site = { scope: 'site', id: metered.id, ...range };
    const cost = await get('/api/v1/analytics/cost', { ...site, interval: 'day' });
    expect(cost.items[0]).toMatchObject({ energyKwh: 32, cost: 3.2 });
    const hours = await get('/api/v1/analytics/operating-hours', site);
    expect(hours.outOfHours.energyKwh).toBe(32);
    expect(hours.inHours.energyKwh).toBe(0);
    // The waste list ranks single meters: the heater behind the incomer is named too.
    expect(
      (hours.waste as Array<{ name: string; outOfHoursKwh: number }>).map((meter) => [
        meter.name,
        meter.outOfHoursKwh,
      ]),
    ).toEqual([
      ['Incomer', 32],
      ['Heater', 16],
    ]);
    const peak = await get('/api/v1/analytics/peak-demand', {
      ...site,
      interval: 'day',
      window: 30,
    });
    expect(peak.items[0].peakKw).toBe(8);
    const profile = await get('/api/v1/analytics/usage-profile', site);
    expect(profile.all[1]).toMatchObject({ average: 8000, peak: 8000 });
  });

  it("the site's report totals the incomer only", async () => {
    const report = await get(`/api/v1/reports/site/${metered.id}`, {
      period: 'week',
      date: day.toISODate() ?? '',
    });
    expect(report).toMatchObject({ energyKwh: 32, cost: 3.2, outOfHoursShare: 1 });
  });
});
