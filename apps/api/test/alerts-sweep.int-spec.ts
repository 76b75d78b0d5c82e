import { AlertClock } from '../src/modules/alerts/alert-clock';
import { AlertsSweeper } from '../src/modules/alerts/alerts.sweeper';
import { AlertTenant, minutesAgo, ownQueues } from './support/alerts';
import { createTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

/* What no reading announces: offline meters, silence, and time passing on open alerts. */
describe('alert sweep: offline, no data, repeats and escalation', () => {
  let t: TestApp;
  let clock: AlertClock;
  let sweeper: AlertsSweeper;
  beforeAll(async () => {
    t = await createTestApp({
      ...ownQueues('sweep'),
      SWEEP_INTERVAL_SECONDS: '1',
      OFFLINE_AFTER_HEARTBEATS: '1',
      ALERT_SWEEP_INTERVAL_SECONDS: '1',
    });
    clock = t.app.get(AlertClock);
    sweeper = t.app.get(AlertsSweeper);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => t.close());

  /** Moves the alerts' clock and waits for a sweep round that ran on it. */
  async function sweepAt(at: Date): Promise<void> {
    jest.spyOn(clock, 'now').mockReturnValue(at);
    await waitFor(async () => ((await sweeper.sweep()) ? true : undefined), 10_000, 'a sweep');
  }

  const timeline = async (alertId: string) =>
    (
      await t.db.query(`SELECT kind FROM alert_events WHERE alert_id = $1 ORDER BY at, id`, [
        alertId,
      ])
    ).map((row: { kind: string }) => row.kind);

  it('raises device_offline within one sweep of the deadline, repeats while offline, resolves when data returns', async () => {
    const tenant = await AlertTenant.create(t);
    const meter = await tenant.meter('ups', { heartbeatIntervalSeconds: 2 });
    const neverSeen = await tenant.meter('ups', { heartbeatIntervalSeconds: 2 });
    await tenant.rule({
      name: 'Any meter offline',
      condition: 'device_offline',
      repeatMinutes: 30,
    });
    await tenant.send([{ meter, value: 230, at: minutesAgo(0.1), parameter: 'voltage_v' }]);
    await waitFor(async () => {
      const [row] = await t.db.query(`SELECT status FROM meters WHERE id = $1`, [meter.id]);
      return row.status === 'online' ? true : undefined;
    });
    const [{ last_seen_at: lastSeen }] = await t.db.query(
      'SELECT last_seen_at FROM meters WHERE id = $1',
      [meter.id],
    );
    // Deadline: one heartbeat (2 s) of silence; the liveness sweep and the alert run every 1 s.
    const alert = await waitFor(
      async () => (await tenant.alertsOf(meter))[0],
      10_000,
      'the offline alert',
    );
    const [{ triggered_at: triggeredAt }] = await t.db.query(
      'SELECT triggered_at FROM alerts WHERE id = $1',
      [alert['id']],
    );
    const late = (triggeredAt as Date).getTime() - ((lastSeen as Date).getTime() + 2000);
    expect(late).toBeLessThanOrEqual(2000 + 1500);
    expect(alert).toMatchObject({ status: 'active' });
    // A meter never heard from is not commissioned yet: not "offline".
    expect(await tenant.alertsOf(neverSeen)).toEqual([]);

    await sweepAt(new Date(Date.now() + 31 * 60_000));
    expect(await timeline(alert['id'] as string)).toContain('repeated');
    const repeats = await waitFor(
      async () => {
        const [{ n }] = await t.db.query(
          `SELECT count(*)::int AS n FROM notification_deliveries
           WHERE alert_id = $1 AND event = 'alert.repeated'`,
          [alert['id']],
        );
        return n > 0 ? n : undefined;
      },
      10_000,
      'the repeated notification',
    );
    expect(repeats).toBeGreaterThan(0);
    jest.restoreAllMocks();

    await tenant.send([
      { meter, value: 231, at: new Date().toISOString(), parameter: 'voltage_v' },
    ]);
    await waitFor(
      async () => ((await tenant.alertsOf(meter))[0]['status'] === 'resolved' ? true : undefined),
      10_000,
      'the auto-resolution',
    );
    expect((await tenant.alertsOf(meter))[0]).toMatchObject({
      resolution: 'auto',
      resolved_by: null,
    });
  });

  it('raises no_data once the parameter was silent for the duration, resolved by the next reading', async () => {
    const tenant = await AlertTenant.create(t);
    const meter = await tenant.meter();
    await tenant.rule({
      name: 'silent',
      scope: { meterId: meter.id },
      parameter: 'power_w',
      condition: 'no_data',
      durationSeconds: 600,
    });
    await tenant.sendAndJudge([{ meter, value: 10, at: minutesAgo(1) }]);
    await sweepAt(new Date(Date.now() + 5 * 60_000));
    expect(await tenant.alertsOf(meter)).toEqual([]);
    await sweepAt(new Date(Date.now() + 11 * 60_000));
    expect(await tenant.alertsOf(meter)).toEqual([expect.objectContaining({ status: 'active' })]);
    jest.restoreAllMocks();
    await tenant.sendAndJudge([{ meter, value: 10, at: minutesAgo(0) }]);
    expect(await tenant.alertsOf(meter)).toEqual([
      expect.objectContaining({ status: 'resolved', resolution: 'auto' }),
    ]);
  });

  it('escalates an unacknowledged alert each afterMinutes up to maxLevel, telling the owners; acknowledge stops it', async () => {
    const tenant = await AlertTenant.create(t);
    const operator = await t.factory.user(tenant.org, 'operator');
    const loud = await tenant.meter();
    const handled = await tenant.meter();
    await tenant.rule({
      name: 'hot',
      parameter: 'power_w',
      condition: 'above',
      threshold: 100,
      recipients: { userIds: [operator.user.id] },
      escalation: { afterMinutes: 10, maxLevel: 2 },
    });
    await tenant.sendAndJudge([
      { meter: loud, value: 150, at: minutesAgo(1) },
      { meter: handled, value: 150, at: minutesAgo(1) },
    ]);
    const [handledAlert] = await tenant.alertsOf(handled);
    await t.http
      .post(`/api/v1/alerts/${handledAlert['id']}/acknowledge`)
      .set('Authorization', operator.auth)
      .expect(200);
    const start = Date.now();
    const levels = async () => [
      (await tenant.alertsOf(loud))[0]['escalation_level'],
      (await tenant.alertsOf(handled))[0]['escalation_level'],
    ];
    await sweepAt(new Date(start + 5 * 60_000));
    expect(await levels()).toEqual([0, 0]);
    await sweepAt(new Date(start + 11 * 60_000));
    expect(await levels()).toEqual([1, 0]);
    await sweepAt(new Date(start + 22 * 60_000));
    expect(await levels()).toEqual([2, 0]);
    await sweepAt(new Date(start + 60 * 60_000));
    expect(await levels()).toEqual([2, 0]);

    const loudId = (await tenant.alertsOf(loud))[0]['id'] as string;
    expect((await timeline(loudId)).filter((kind: string) => kind === 'escalated')).toHaveLength(2);
    const audit = await t.db.query(
      `SELECT count(*)::int AS n FROM events WHERE subject_id = $1 AND type = 'alert.escalated'`,
      [loudId],
    );
    expect(audit[0].n).toBe(2);
    // The owner hears of it only through the escalation; the operator from the start.
    const ownerNotified = await waitFor(
      async () => {
        const rows = await t.db.query(
          `SELECT event FROM notifications WHERE user_id = $1 AND alert_id = $2`,
          [tenant.owner.user.id, loudId],
        );
        return rows.length >= 2 ? rows.map((row: { event: string }) => row.event) : undefined;
      },
      10_000,
      "the owner's notifications",
    );
    expect(ownerNotified).toEqual(['alert.escalated', 'alert.escalated']);
    const operatorNotified = await t.db.query(
      `SELECT event FROM notifications WHERE user_id = $1 AND alert_id = $2 ORDER BY created_at`,
      [operator.user.id, loudId],
    );
    expect(operatorNotified[0].event).toBe('alert.triggered');
  });

  it('data_quality rules raise an alert once for an issue the pipeline recorded without a reading', async () => {
    const tenant = await AlertTenant.create(t);
    const meter = await tenant.meter();
    await tenant.rule({
      name: 'data quality',
      scope: { meterId: meter.id },
      condition: 'data_quality',
    });
    await t.factory.dataQualityIssue(meter, {
      kind: 'communication_error',
      severity: 'error',
      parameter: null,
      message: 'unit 3 did not answer',
    });
    await sweepAt(new Date());
    const [alert] = await tenant.alertsOf(meter);
    expect(alert).toMatchObject({ status: 'active' });
    const [{ message }] = await t.db.query('SELECT message FROM alerts WHERE id = $1', [
      alert['id'],
    ]);
    expect(message).toBe('unit 3 did not answer');
    await sweepAt(new Date());
    await t.http
      .post(`/api/v1/alerts/${alert['id']}/resolve`)
      .set('Authorization', tenant.owner.auth)
      .expect(200);
    await sweepAt(new Date());
    expect((await tenant.alertsOf(meter)).map((a) => a['status'])).toEqual(['resolved']);
  });
});
