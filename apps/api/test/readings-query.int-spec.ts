import { randomUUID } from 'node:crypto';
import type { MeterEntity, OrganizationEntity } from '@gridwatch/server';
import { ReadingsRepository } from '../src/modules/readings/readings.repository';
import type { TestUser } from './support/factory';
import { createTestApp, TestApp } from './support/test-app';

describe('readings query API', () => {
  let t: TestApp;
  let org: OrganizationEntity;
  let meter: MeterEntity;
  let viewer: TestUser;
  const start = Date.parse('2026-11-20T00:00:00Z');

  beforeAll(async () => {
    t = await createTestApp();
    org = await t.factory.organization();
    meter = await t.factory.meter(await t.factory.site(org, { timezone: 'Europe/London' }));
    viewer = await t.factory.user(org, 'viewer');
    // 3 hours of one-minute power readings and a counter that resets once.
    const readings = [];
    for (let i = 0; i < 180; i++) {
      readings.push({
        m: meter.id,
        p: 'power_w' as const,
        t: start + i * 60_000,
        v: i,
        u: 'W',
        q: 'good' as const,
      });
      const counter = i < 100 ? 1000 + i : i - 100;
      readings.push({
        m: meter.id,
        p: 'energy_kwh' as const,
        t: start + i * 60_000,
        v: counter,
        u: 'kWh',
        q: 'good' as const,
      });
    }
    await t.app.get(ReadingsRepository).store({
      batchId: randomUUID(),
      organizationId: org.id,
      gatewayId: null,
      source: 'http',
      readings,
      outOfRange: [],
    });
    await t.app.get(ReadingsRepository).foldPending();
  });
  afterAll(() => t.close());

  const get = (path: string) =>
    t.http.get(`/api/v1/meters/${meter.id}/readings${path}`).set('Authorization', viewer.auth);

  it('pages through raw readings with a cursor until every reading was seen once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const response = await get(
        `?from=2026-11-20T00:00:00Z&to=2026-11-20T03:00:00Z&parameter=power_w&limit=70${cursor ? `&cursor=${cursor}` : ''}`,
      ).expect(200);
      seen.push(...response.body.items.map((item: { ts: string }) => item.ts));
      cursor = response.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(180);
    expect(new Set(seen).size).toBe(180);
    expect(seen[0]).toBe('2026-11-20T00:00:00.000Z');
  });

  it('answers hourly rollups with average, extremes and counter consumption across the reset', async () => {
    const response = await get(
      '?from=2026-11-20T00:00:00Z&to=2026-11-20T03:00:00Z&aggregation=hourly',
    ).expect(200);
    const power = response.body.items.filter(
      (item: { parameter: string }) => item.parameter === 'power_w',
    );
    expect(
      power.map((item: { count: number; min: number; max: number; value: number }) => [
        item.count,
        item.min,
        item.max,
        item.value,
      ]),
    ).toEqual([
      [60, 0, 59, 29.5],
      [60, 60, 119, 89.5],
      [60, 120, 179, 149.5],
    ]);
    const energy = response.body.items.filter(
      (item: { parameter: string }) => item.parameter === 'energy_kwh',
    );
    // Hour 1: 1000 -> 1059. Hour 2: +40 up to 1099, the reset to 0 adds 0, then 1 -> 19 adds 19.
    // Hour 3: 19 -> 79, including the step from the previous hour's last reading.
    expect(energy.map((item: { consumption: number }) => item.consumption)).toEqual([
      59,
      40 + 0 + 19,
      60,
    ]);
  });

  it('answers daily rollups keyed by the site-local date', async () => {
    const response = await get(
      '?from=2026-11-19T00:00:00Z&to=2026-11-21T00:00:00Z&aggregation=daily&parameter=power_w',
    ).expect(200);
    expect(response.body.items).toEqual([
      expect.objectContaining({
        day: '2026-11-20',
        ts: '2026-11-20T00:00:00.000Z',
        count: 180,
        min: 0,
        max: 179,
      }),
    ]);
  });

  it('gives the latest value of each parameter', async () => {
    const response = await get('/latest').expect(200);
    expect(response.body).toEqual([
      expect.objectContaining({
        parameter: 'energy_kwh',
        value: 79,
        ts: '2026-11-20T02:59:00.000Z',
      }),
      expect.objectContaining({ parameter: 'power_w', value: 179, ts: '2026-11-20T02:59:00.000Z' }),
    ]);
  });

  it('streams a CSV export of every row with a header', async () => {
    const response = await get(
      '/export.csv?from=2026-11-20T00:00:00Z&to=2026-11-20T03:00:00Z',
    ).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const lines = response.text.trim().split('\n');
    expect(lines[0]).toBe('ts,parameter,value,unit,quality,source');
    expect(lines).toHaveLength(1 + 360);
    expect(lines[1]).toBe('2026-11-20T00:00:00.000Z,energy_kwh,1000,kWh,good,http');
  });

  it('refuses a timestamp without an offset and an unknown parameter with field details', async () => {
    const response = await get('?from=2026-11-20T00:00:00&parameter=humidity').expect(400);
    expect(response.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
      'from',
      'parameter',
    ]);
  });

  it("another organization's meter is 404 for reads, latest and export", async () => {
    const stranger = await t.factory.user(await t.factory.organization(), 'owner');
    for (const path of ['', '/latest', '/export.csv']) {
      const response = await t.http
        .get(`/api/v1/meters/${meter.id}/readings${path}`)
        .set('Authorization', stranger.auth)
        .expect(404);
      expect(response.body.error).toBe('meter_not_found');
    }
  });
});
