import { DateTime } from 'luxon';
import type { MeterEntity, OrganizationEntity, SiteEntity } from '@gridwatch/server';
import type { TestUser } from './support/factory';
import { ingestReadings, series } from './support/readings-fixture';
import { createTestApp, TestApp } from './support/test-app';

const ZONE = 'Europe/London';
const WORKDAY = { open: '08:00', close: '18:00' };

describe('operating hours, waste list, usage profile and peak demand', () => {
  let t: TestApp;
  let org: OrganizationEntity;
  let site: SiteEntity;
  let heater: MeterEntity;
  let lighting: MeterEntity;
  let viewer: TestUser;
  // Wednesday of last week, open 08:00-18:00.
  const day = DateTime.now().setZone(ZONE).minus({ weeks: 1 }).startOf('week').plus({ days: 2 });
  const range = { from: day.toISO() ?? '', to: day.plus({ days: 1 }).toISO() ?? '' };

  beforeAll(async () => {
    t = await createTestApp({ INGEST_MAX_AGE_SECONDS: String(365 * 86400) });
    org = await t.factory.organization();
    site = await t.factory.site(org, {
      timezone: ZONE,
      operatingHours: { mon: WORKDAY, tue: WORKDAY, wed: WORKDAY, thu: WORKDAY, fri: WORKDAY },
    });
    const gateway = await t.factory.gateway(site);
    const interval = { heartbeatIntervalSeconds: 900 };
    heater = await t.factory.meter(site, gateway, 'heater', { name: 'Night heater', ...interval });
    lighting = await t.factory.meter(site, gateway, 'lighting', {
      name: 'Yard lights',
      ...interval,
    });
    const ups = await t.factory.meter(site, gateway, 'ups', { heartbeatIntervalSeconds: 300 });
    viewer = await t.factory.user(org, 'viewer');
    const owner = await t.factory.user(org, 'owner');
    await t.http
      .put(`/api/v1/sites/${site.id}/tariff`)
      .set('Authorization', owner.auth)
      .send({
        type: 'flat',
        currency: 'GBP',
        standingChargePerDay: 0,
        periods: [{ validFrom: day.minus({ days: 30 }).toISODate(), price: 0.2 }],
      })
      .expect(200);
    const from = day.minus({ minutes: 15 });
    const to = day.plus({ days: 1 }).minus({ minutes: 15 });
    let lights = 0;
    const readings = [
      // 1 kWh every quarter-hour, all day.
      ...series(heater, 'energy_kwh', from, to, 15, (i) => 10 + i),
      // 2 kWh every quarter-hour from 17:00 to 20:00.
      ...series(lighting, 'energy_kwh', from, to, 15, (_, ts) => {
        const hour = DateTime.fromMillis(ts, { zone: ZONE }).hour;
        if (ts >= day.toMillis() && hour >= 17 && hour < 20) lights += 2;
        return lights;
      }),
      // 1000 W from 10:00 to 12:00: 2 kWh, in hours.
      ...series(ups, 'power_w', day.plus({ hours: 10 }), day.plus({ hours: 12 }), 5, () => 1000),
    ];
    await ingestReadings(t, gateway, await t.factory.credential(gateway), viewer, readings);
  }, 120000);
  afterAll(() => t.close());

  const get = (path: string, query: Record<string, string | number>) =>
    t.http
      .get(`/api/v1/analytics/${path}`)
      .query(query)
      .set('Authorization', viewer.auth)
      .expect(200)
      .then((response) => response.body);

  it('splits energy and cost by operating hours and ranks the out-of-hours meters', async () => {
    const body = await get('operating-hours', { scope: 'site', id: site.id, ...range });
    // In hours: heater 08:00-17:45 (40) + lights 17:00-17:45 (8) + UPS (2); out: 56 + 16.
    expect(body).toMatchObject({
      currency: 'GBP',
      inHours: { energyKwh: 50, cost: 10 },
      outOfHours: { energyKwh: 72, cost: 14.4 },
      outOfHoursShare: 0.5902,
    });
    expect(body.waste).toEqual([
      {
        meterId: heater.id,
        name: 'Night heater',
        kind: 'heater',
        outOfHoursKwh: 56,
        outOfHoursCost: 11.2,
        outOfHoursShare: 0.5833,
      },
      {
        meterId: lighting.id,
        name: 'Yard lights',
        kind: 'lighting',
        outOfHoursKwh: 16,
        outOfHoursCost: 3.2,
        outOfHoursShare: 0.6667,
      },
    ]);
  });

  it('profiles load by local hour, weekdays and weekends apart', async () => {
    const body = await get('usage-profile', { scope: 'site', id: site.id, ...range });
    expect(body.weekdays).toHaveLength(24);
    expect(body.weekdays.slice(9, 13)).toEqual([
      { hour: 9, average: null, peak: null },
      { hour: 10, average: 1000, peak: 1000 },
      { hour: 11, average: 1000, peak: 1000 },
      { hour: 12, average: 1000, peak: 1000 },
    ]);
    expect(body.weekends.every((hour: { average: null }) => hour.average === null)).toBe(true);
    expect(body.all[10]).toEqual(body.weekdays[10]);
  });

  it('answers the highest 15- and 30-minute demand of the day and when it began', async () => {
    for (const window of [15, 30]) {
      const body = await get('peak-demand', {
        scope: 'site',
        id: site.id,
        ...range,
        interval: 'day',
        window,
      });
      // Heater 1 kWh + lights 2 kWh per quarter-hour from 17:00: 12 kW.
      expect(body.items).toEqual([
        {
          start: day.toISO({ suppressMilliseconds: true }),
          end: day.plus({ days: 1 }).toISO({ suppressMilliseconds: true }),
          peakKw: 12,
          at: day.plus({ hours: 17 }).toISO({ suppressMilliseconds: true }),
        },
      ]);
    }
  });
});
