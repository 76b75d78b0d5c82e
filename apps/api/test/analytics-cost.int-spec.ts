import { DateTime } from 'luxon';
import type { MeterEntity, OrganizationEntity, SiteEntity } from '@gridwatch/server';
import type { TestUser } from './support/factory';
import { ingestReadings, series } from './support/readings-fixture';
import { createTestApp, TestApp } from './support/test-app';

const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];
const ZONE = 'Europe/London';

describe('cost by time-of-use band', () => {
  let t: TestApp;
  let org: OrganizationEntity;
  let site: SiteEntity;
  let meter: MeterEntity;
  let owner: TestUser;
  // Tuesday of last week: the price changes on Wednesday, inside that week.
  const week = DateTime.now().setZone(ZONE).minus({ weeks: 1 }).startOf('week');
  const tuesday = week.plus({ days: 1 });
  const wednesday = week.plus({ days: 2 });

  beforeAll(async () => {
    t = await createTestApp({ INGEST_MAX_AGE_SECONDS: String(365 * 86400) });
    org = await t.factory.organization();
    site = await t.factory.site(org, { timezone: ZONE });
    const gateway = await t.factory.gateway(site);
    meter = await t.factory.meter(site, gateway, 'main', { heartbeatIntervalSeconds: 900 });
    owner = await t.factory.user(org, 'owner');
    await t.http
      .put(`/api/v1/sites/${site.id}/tariff`)
      .set('Authorization', owner.auth)
      .send({
        type: 'time_of_use',
        currency: 'GBP',
        standingChargePerDay: 0.5,
        periods: [
          {
            validFrom: week.minus({ days: 30 }).toISODate(),
            validTo: wednesday.toISODate(),
            bands: [
              { days: ALL_DAYS, from: '00:00', to: '07:30', price: 0.1, name: 'night' },
              { days: ALL_DAYS, from: '07:30', to: '24:00', price: 0.3, name: 'day' },
            ],
          },
          {
            validFrom: wednesday.toISODate(),
            bands: [{ days: ALL_DAYS, from: '00:00', to: '24:00', price: 0.2, name: 'single' }],
          },
        ],
      })
      .expect(200);
    // 1 kWh per quarter-hour, Tuesday and Wednesday local, from the reading at Monday 23:45.
    const readings = series(
      meter,
      'energy_kwh',
      tuesday.minus({ minutes: 15 }),
      wednesday.plus({ days: 1 }).minus({ minutes: 15 }),
      15,
      (i) => 100 + i,
    );
    await ingestReadings(t, gateway, await t.factory.credential(gateway), owner, readings);
  }, 120000);
  afterAll(() => t.close());

  const cost = (query: Record<string, string>) =>
    t.http
      .get('/api/v1/analytics/cost')
      .query(query)
      .set('Authorization', owner.auth)
      .expect(200)
      .then((response) => response.body);

  it('prices the week by band and date, and adds 7 days of standing charge', async () => {
    const body = await cost({
      scope: 'site',
      id: site.id,
      from: week.toISO() ?? '',
      to: week.plus({ weeks: 1 }).toISO() ?? '',
      interval: 'week',
    });
    expect(body.currency).toBe('GBP');
    // Tuesday: 30 kWh night x 0.10 + 66 kWh day x 0.30 = 22.80; Wednesday: 96 kWh x 0.20 = 19.20.
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      energyKwh: 192,
      energyCost: 42,
      standingCharge: 3.5,
      cost: 45.5,
    });
    expect(body.items[0].bands).toEqual(
      expect.arrayContaining([
        { band: 'night', energyKwh: 30, cost: 3 },
        { band: 'day', energyKwh: 66, cost: 19.8 },
        { band: 'single', energyKwh: 96, cost: 19.2 },
      ]),
    );
  });

  it('splits the hour 07:00-08:00 at the 07:30 band edge', async () => {
    const seven = tuesday.plus({ hours: 7 });
    const body = await cost({
      scope: 'meter',
      id: meter.id,
      from: seven.toISO() ?? '',
      to: seven.plus({ hours: 1 }).toISO() ?? '',
      interval: 'hour',
    });
    expect(body.items[0]).toMatchObject({ energyKwh: 4, energyCost: 0.8, standingCharge: 0 });
    expect(body.items[0].bands).toEqual([
      { band: 'night', energyKwh: 2, cost: 0.2 },
      { band: 'day', energyKwh: 2, cost: 0.6 },
    ]);
  });

  it('answers per day, each with its standing charge, and compares with the two days before', async () => {
    const body = await cost({
      scope: 'site',
      id: site.id,
      from: tuesday.toISO() ?? '',
      to: tuesday.plus({ days: 2 }).toISO() ?? '',
      interval: 'day',
      compare: 'previous',
    });
    expect(body.items.map((item: { cost: number }) => item.cost)).toEqual([23.3, 19.7]);
    // The previous run of two days is Sunday and Monday: no energy, the standing charge only.
    expect(body.items[0].compared.start).toBe(
      week.minus({ days: 1 }).toISO({ suppressMilliseconds: true }),
    );
    expect(body.items[1].compared).toMatchObject({
      cost: 0.5,
      changeCost: 19.2,
      changePercent: 3840,
    });
  });

  it('answers 404 tariff_not_found for a site without a tariff', async () => {
    const bare = await t.factory.site(org);
    const response = await t.http
      .get('/api/v1/analytics/cost')
      .query({ scope: 'site', id: bare.id, from: week.toISO(), to: week.plus({ days: 1 }).toISO() })
      .set('Authorization', owner.auth)
      .expect(404);
    expect(response.body.error).toBe('tariff_not_found');
  });
});
