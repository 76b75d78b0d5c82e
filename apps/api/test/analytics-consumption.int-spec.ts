import { DateTime } from 'luxon';
import type { GatewayEntity, OrganizationEntity, SiteEntity } from '@gridwatch/server';
import type { DeviceKeys, TestUser } from './support/factory';
import {
  ingestReadings,
  lastDstDay,
  series,
  type FixtureReading,
} from './support/readings-fixture';
import { createTestApp, TestApp } from './support/test-app';

interface Period {
  start: string;
  end: string;
  energyKwh: number;
  coverage: number;
}

describe('consumption by local calendar period', () => {
  let t: TestApp;
  let org: OrganizationEntity;
  let viewer: TestUser;
  const readings: FixtureReading[] = [];
  const sites: Record<string, { site: SiteEntity; gateway: GatewayEntity; keys: DeviceKeys }> = {};
  const meters: Record<string, string> = {};

  const londonSpring = lastDstDay('Europe/London', 23);
  const londonFall = lastDstDay('Europe/London', 25);
  const newYorkSpring = lastDstDay('America/New_York', 23);
  const newYorkFall = lastDstDay('America/New_York', 25);
  const recentUtcDay = DateTime.utc().startOf('day').minus({ days: 10 });

  async function siteIn(zone: string) {
    if (!sites[zone]) {
      const site = await t.factory.site(org, { timezone: zone, name: `Site in ${zone}` });
      const gateway = await t.factory.gateway(site);
      sites[zone] = { site, gateway, keys: await t.factory.credential(gateway) };
    }
    return sites[zone].site;
  }

  async function meter(name: string, zone: string, intervalSeconds: number) {
    const entity = await t.factory.meter(await siteIn(zone), sites[zone].gateway, 'main', {
      name,
      heartbeatIntervalSeconds: intervalSeconds,
    });
    meters[name] = entity.id;
    return entity;
  }

  /** A counter rising 1 kWh per half-hour from 30 minutes before `day` to the end of the next day. */
  async function halfHourCounter(name: string, day: DateTime, resetAt?: DateTime) {
    const entity = await meter(name, day.zoneName ?? 'UTC', 1800);
    let value = 1000;
    readings.push(
      ...series(
        entity,
        'energy_kwh',
        day.minus({ minutes: 30 }),
        day.plus({ days: 2 }),
        30,
        (_, ts) => {
          value = resetAt && ts === resetAt.toMillis() ? 0.5 : value + 1;
          return value;
        },
      ),
    );
  }

  beforeAll(async () => {
    t = await createTestApp({ INGEST_MAX_AGE_SECONDS: String(365 * 86400) });
    org = await t.factory.organization();
    viewer = await t.factory.user(org, 'viewer');
    await halfHourCounter('london-spring', londonSpring, londonSpring.plus({ days: 1, hours: 12 }));
    await halfHourCounter('london-fall', londonFall);
    await halfHourCounter('new-york-spring', newYorkSpring);
    await halfHourCounter('new-york-fall', newYorkFall);
    // +05:30 and +05:45: a counter rising 1 kWh per quarter-hour across the local midnight.
    for (const zone of ['Asia/Kolkata', 'Asia/Kathmandu']) {
      const entity = await meter(zone, zone, 900);
      const from = recentUtcDay.plus({ hours: 12 });
      readings.push(
        ...series(entity, 'energy_kwh', from, from.plus({ days: 1 }), 15, (i) => 500 + i),
      );
    }
    // Power only (no counter): 1200 W for two hours, a one-hour gap, then 600 W for an hour.
    const power = await meter('power-gap', 'UTC', 300);
    const p0 = recentUtcDay;
    readings.push(
      ...series(power, 'power_w', p0, p0.plus({ hours: 2 }), 5, () => 1200),
      ...series(power, 'power_w', p0.plus({ hours: 3 }), p0.plus({ hours: 4 }), 5, () => 600),
    );
    for (const zone of Object.keys(sites)) {
      const mine = readings.filter((reading) => reading.meter.siteId === sites[zone].site.id);
      await ingestReadings(t, sites[zone].gateway, sites[zone].keys, viewer, mine);
    }
  }, 120000);
  afterAll(() => t.close());

  async function consumption(query: Record<string, string>, status = 200) {
    const response = await t.http
      .get('/api/v1/analytics/consumption')
      .query(query)
      .set('Authorization', viewer.auth)
      .expect(status);
    return response.body as { timezone: string; items: Period[]; groups?: unknown[] };
  }

  const meterQuery = (name: string, from: DateTime, to: DateTime, interval = 'day') => ({
    scope: 'meter',
    id: meters[name],
    from: from.toISO() ?? '',
    to: to.toISO() ?? '',
    interval,
  });
  const energy = (items: Period[]) => items.map((item) => item.energyKwh);

  it('London spring-forward: a 23-hour day, and the counter reset the day after counts its new value', async () => {
    const body = await consumption(
      meterQuery('london-spring', londonSpring.minus({ days: 1 }), londonSpring.plus({ days: 2 })),
    );
    expect(body.timezone).toBe('Europe/London');
    // Day before: one reading without a predecessor; the DST day: 46 half-hours; the next: 47 + 0.5.
    expect(energy(body.items)).toEqual([0, 46, 47.5]);
    expect(body.items[1].start).toBe(londonSpring.toISO({ suppressMilliseconds: true }));
    expect(Date.parse(body.items[1].end) - Date.parse(body.items[1].start)).toBe(23 * 3_600_000);
    expect(body.items.map((item) => item.coverage)).toEqual([0.0208, 1, 1]);
  });

  it('London fall-back: a 25-hour day of 50 half-hours, 25 hourly periods with the repeated hour', async () => {
    const day = await consumption(
      meterQuery('london-fall', londonFall, londonFall.plus({ days: 1 })),
    );
    expect(energy(day.items)).toEqual([50]);
    expect(Date.parse(day.items[0].end) - Date.parse(day.items[0].start)).toBe(25 * 3_600_000);
    const hours = await consumption(
      meterQuery('london-fall', londonFall, londonFall.plus({ days: 1 }), 'hour'),
    );
    expect(hours.items).toHaveLength(25);
    expect(energy(hours.items).every((kwh) => kwh === 2)).toBe(true);
    expect(hours.items[1].start.slice(11)).toBe('01:00:00+01:00');
    expect(hours.items[2].start.slice(11)).toBe('01:00:00+00:00');
  });

  it('New York: 46 kWh on the spring-forward day and 50 kWh on the fall-back day', async () => {
    const spring = await consumption(
      meterQuery('new-york-spring', newYorkSpring, newYorkSpring.plus({ days: 1 })),
    );
    const fall = await consumption(
      meterQuery('new-york-fall', newYorkFall, newYorkFall.plus({ days: 1 })),
    );
    expect([...energy(spring.items), ...energy(fall.items)]).toEqual([46, 50]);
    expect(spring.items[0].start).toBe(newYorkSpring.toISO({ suppressMilliseconds: true }));
  });

  it.each([
    // Readings every 15 min from 12:00Z to 12:00Z next day; the local day starts 18:30Z / 18:15Z:
    // Kolkata's first day holds 12:00..18:15Z (26 readings, 25 steps), Kathmandu's 12:00..18:00Z.
    // Coverage = readings x 900 s / 86,400 s.
    ['Asia/Kolkata', [25, 71], [0.2708, 0.7396], '+05:30'],
    ['Asia/Kathmandu', [24, 72], [0.2604, 0.75], '+05:45'],
  ])('%s days start at local midnight', async (zone, kwh, coverage, offset) => {
    const day = recentUtcDay.setZone(zone).startOf('day');
    const body = await consumption(meterQuery(zone, day, day.plus({ days: 2 })));
    expect(energy(body.items)).toEqual(kwh);
    expect(body.items.map((item) => item.coverage)).toEqual(coverage);
    expect(body.items[0].start).toBe(`${day.toISODate()}T00:00:00${offset}`);
  });

  it('Kathmandu half-hours and hours start at local edges (:15 and :45 UTC)', async () => {
    const midnight = recentUtcDay.setZone('Asia/Kathmandu').startOf('day').plus({ days: 1 });
    const body = await consumption(
      meterQuery('Asia/Kathmandu', midnight, midnight.plus({ hours: 1 }), '30m'),
    );
    expect(body.items.map((item) => [item.start.slice(11), item.energyKwh])).toEqual([
      ['00:00:00+05:45', 2],
      ['00:30:00+05:45', 2],
    ]);
  });

  it('integrates power without a counter, does not bridge a gap, and reports the gap as coverage', async () => {
    const from = recentUtcDay;
    const hours = await consumption(meterQuery('power-gap', from, from.plus({ hours: 4 }), 'hour'));
    expect(energy(hours.items)).toEqual([1.2, 1.2, 0, 0.6]);
    expect(hours.items.map((item) => item.coverage)).toEqual([1, 1, 0, 1]);
    const day = await consumption(meterQuery('power-gap', from, from.plus({ days: 1 })));
    expect(energy(day.items)).toEqual([3]);
    expect(day.items[0].coverage).toBe(0.125);
  });

  it('totals a site and groups it by meter; compare=previous carries the change', async () => {
    const site = sites['Europe/London'].site;
    const day = londonSpring.plus({ days: 1 });
    const body = await consumption({
      scope: 'site',
      id: site.id,
      from: day.toISO() ?? '',
      to: day.plus({ days: 1 }).toISO() ?? '',
      interval: 'day',
      groupBy: 'meter',
      compare: 'previous',
    });
    expect(energy(body.items)).toEqual([47.5]);
    expect(body.items[0]).toMatchObject({
      compared: { energyKwh: 46, changeKwh: 1.5, changePercent: 3.2609 },
    });
    expect(body.groups).toHaveLength(2);
  });

  it("refuses a reversed range and another organization's site or meter (404)", async () => {
    const other = await t.factory.organization();
    const stranger = await t.factory.user(other, 'owner');
    const from = recentUtcDay.toISO() ?? '';
    await consumption({ scope: 'site', id: sites.UTC.site.id, from, to: from }, 400);
    for (const [scope, id] of [
      ['site', sites.UTC.site.id],
      ['meter', meters['power-gap']],
    ]) {
      await t.http
        .get('/api/v1/analytics/consumption')
        .query({ scope, id, from, to: recentUtcDay.plus({ days: 1 }).toISO() })
        .set('Authorization', stranger.auth)
        .expect(404);
    }
    const own = await t.http
      .get('/api/v1/analytics/consumption')
      .query({ scope: 'organization', from, to: recentUtcDay.plus({ days: 1 }).toISO() })
      .set('Authorization', stranger.auth)
      .expect(200);
    expect(own.body.items[0]).toMatchObject({ energyKwh: 0, coverage: 0 });
  });
});
