import type { MeterEntity } from '@gridwatch/server';
import { AlertTenant, minutesAgo, ownQueues } from './support/alerts';
import { createTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

/* Rules judged on readings that enter through the real ingest API, after they are stored. */
describe('alert evaluation', () => {
  let t: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    // Readings from around the October DST change are weeks old: accept them.
    const env = { INGEST_MAX_AGE_SECONDS: String(90 * 86400), ...ownQueues('eval') };
    t = await createTestApp(env);
    second = await createTestApp(env);
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  it('above, below, rate_of_change and data_quality fire on the breaching reading only, and auto-resolve', async () => {
    const tenant = await AlertTenant.create(t);
    const heater = await tenant.meter('heater');
    const ups = await tenant.meter('ups');
    const pump = await tenant.meter('other');
    const probe = await tenant.meter('other');
    await tenant.rule({
      name: 'hot',
      scope: { meterId: heater.id },
      parameter: 'power_w',
      condition: 'above',
      threshold: 100,
    });
    await tenant.rule({
      name: 'mains',
      scope: { meterId: ups.id },
      parameter: 'voltage_v',
      condition: 'below',
      threshold: 200,
    });
    await tenant.rule({
      name: 'jump',
      scope: { meterId: pump.id },
      parameter: 'power_w',
      condition: 'rate_of_change',
      threshold: 10,
    });
    await tenant.rule({ name: 'quality', scope: { meterId: probe.id }, condition: 'data_quality' });

    await tenant.sendAndJudge([
      { meter: heater, value: 100, at: minutesAgo(10) },
      { meter: ups, value: 230, at: minutesAgo(10), parameter: 'voltage_v' },
      { meter: pump, value: 100, at: minutesAgo(10) },
      { meter: pump, value: 105, at: minutesAgo(9) },
      { meter: probe, value: 5, at: minutesAgo(10) },
    ]);
    for (const meter of [heater, ups, pump, probe])
      expect(await tenant.alertsOf(meter)).toEqual([]);

    await tenant.sendAndJudge([
      { meter: heater, value: 150, at: minutesAgo(8) },
      { meter: ups, value: 190, at: minutesAgo(8), parameter: 'voltage_v' },
      { meter: pump, value: 200, at: minutesAgo(8) },
      { meter: probe, value: 5, at: minutesAgo(8), quality: 'estimated' },
    ]);
    expect(await tenant.alertsOf(heater)).toEqual([
      expect.objectContaining({ status: 'active', first_value: 150 }),
    ]);
    expect(await tenant.alertsOf(ups)).toEqual([
      expect.objectContaining({ status: 'active', first_value: 190 }),
    ]);
    expect(await tenant.alertsOf(pump)).toEqual([
      expect.objectContaining({ status: 'active', first_value: 200 }),
    ]);
    expect(await tenant.alertsOf(probe)).toEqual([expect.objectContaining({ status: 'active' })]);

    // Still breaching: the open alert counts another occurrence, no second alert.
    await tenant.sendAndJudge([{ meter: heater, value: 170, at: minutesAgo(7) }]);
    expect(await tenant.alertsOf(heater)).toEqual([
      expect.objectContaining({ status: 'active', occurrences: 2, last_value: 170 }),
    ]);
    // Clear: resolved automatically, by nobody.
    await tenant.sendAndJudge([{ meter: heater, value: 20, at: minutesAgo(6) }]);
    expect(await tenant.alertsOf(heater)).toEqual([
      expect.objectContaining({ status: 'resolved', resolution: 'auto', resolved_by: null }),
    ]);
  });

  it('fires only once the condition held on every reading across durationSeconds', async () => {
    const tenant = await AlertTenant.create(t);
    const steady = await tenant.meter();
    const broken = await tenant.meter();
    await tenant.rule({
      name: 'sustained',
      parameter: 'power_w',
      condition: 'above',
      threshold: 100,
      durationSeconds: 120,
    });
    await tenant.sendAndJudge([
      { meter: steady, value: 150, at: minutesAgo(10) },
      { meter: broken, value: 150, at: minutesAgo(10) },
    ]);
    await tenant.sendAndJudge([
      { meter: steady, value: 150, at: minutesAgo(9) },
      { meter: broken, value: 50, at: minutesAgo(9) },
    ]);
    expect(await tenant.alertsOf(steady)).toEqual([]);
    await tenant.sendAndJudge([
      { meter: steady, value: 160, at: minutesAgo(8) },
      { meter: broken, value: 150, at: minutesAgo(8) },
    ]);
    expect(await tenant.alertsOf(steady)).toEqual([expect.objectContaining({ last_value: 160 })]);
    await tenant.sendAndJudge([{ meter: broken, value: 150, at: minutesAgo(7) }]);
    expect(await tenant.alertsOf(broken)).toEqual([]);
  });

  it('honours the cooldown: no new alert that soon after the last one resolved', async () => {
    const tenant = await AlertTenant.create(t);
    const calm = await tenant.meter();
    const eager = await tenant.meter();
    await tenant.rule({
      name: 'calm',
      scope: { meterId: calm.id },
      parameter: 'power_w',
      condition: 'above',
      threshold: 100,
      cooldownSeconds: 3600,
    });
    await tenant.rule({
      name: 'eager',
      scope: { meterId: eager.id },
      parameter: 'power_w',
      condition: 'above',
      threshold: 100,
    });
    for (const [minute, value] of [
      [10, 150],
      [9, 50],
      [8, 150],
    ] as const) {
      await tenant.sendAndJudge([
        { meter: calm, value, at: minutesAgo(minute) },
        { meter: eager, value, at: minutesAgo(minute) },
      ]);
    }
    expect((await tenant.alertsOf(calm)).map((a) => a['status'])).toEqual(['resolved']);
    expect((await tenant.alertsOf(eager)).map((a) => a['status'])).toEqual(['resolved', 'active']);
  });

  it("honours out_of_hours in the site's time zone on both sides of the October DST change", async () => {
    const every = { open: '08:00', close: '18:00' };
    const tenant = await AlertTenant.create(t, {
      timezone: 'Europe/London',
      operatingHours: {
        mon: every,
        tue: every,
        wed: every,
        thu: every,
        fri: every,
        sat: every,
        sun: every,
      },
    });
    await tenant.rule({
      name: 'heater out of hours',
      parameter: 'power_w',
      condition: 'above',
      threshold: 0,
      schedule: 'out_of_hours',
    });
    // Saturday 24 Oct 2026 is BST (UTC+1), Monday 26 Oct GMT (UTC+0).
    const cases = [
      { at: '2026-10-24T07:30:00Z', fires: false }, // 08:30 BST: open
      { at: '2026-10-24T17:30:00Z', fires: true }, // 18:30 BST: closed
      { at: '2026-10-26T07:30:00Z', fires: true }, // 07:30 GMT: not yet open
      { at: '2026-10-26T17:30:00Z', fires: false }, // 17:30 GMT: still open
    ];
    const meters: MeterEntity[] = [];
    for (let i = 0; i < cases.length; i++) meters.push(await tenant.meter());
    await tenant.sendAndJudge(cases.map((c, i) => ({ meter: meters[i], value: 1500, at: c.at })));
    const fired = [];
    for (const meter of meters) fired.push((await tenant.alertsOf(meter)).length === 1);
    expect(fired).toEqual(cases.map((c) => c.fires));
  });

  it('two workers storing jobs for one meter at once produce one open alert', async () => {
    const tenant = await AlertTenant.create(t);
    const meter = await tenant.meter();
    await tenant.rule({ name: 'race', parameter: 'power_w', condition: 'above', threshold: 100 });
    const sends = [];
    const base = Date.now() - 60_000;
    for (let i = 0; i < 12; i++) {
      const at = new Date(base + i * 1000).toISOString();
      sends.push(tenant.send([{ meter, value: 200 + i, at }], i % 2 === 0 ? t : second));
    }
    const batches = await Promise.all(sends);
    await waitFor(
      async () => {
        const [{ pending }] = await t.db.query(
          `SELECT count(*)::int AS pending FROM ingest_batches
           WHERE id = ANY($1::uuid[]) AND status = 'queued'`,
          [batches],
        );
        return pending === 0 ? true : undefined;
      },
      20_000,
      'every batch stored',
    );
    await tenant.judged(meter, new Date(base + 11 * 1000).toISOString());
    await new Promise((resolve) => setTimeout(resolve, 500));
    const alerts = await tenant.alertsOf(meter);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ status: 'active' });
  });
});
