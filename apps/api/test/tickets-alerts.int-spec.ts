import type { TicketView } from '@gridwatch/contracts';
import { EventEntity, TicketEntity, type MeterEntity } from '@gridwatch/server';
import { AlertTenant, minutesAgo, ownQueues } from './support/alerts';
import type { TestUser } from './support/factory';
import { createTestApp, type TestApp } from './support/test-app';

describe('Tickets opened from alerts', () => {
  let t: TestApp;
  let tenant: AlertTenant;
  let support: TestUser;
  let viewer: TestUser;

  beforeAll(async () => {
    t = await createTestApp(ownQueues('tickets_alerts'));
    tenant = await AlertTenant.create(t);
    support = await t.factory.user(tenant.org, 'support');
    viewer = await t.factory.user(tenant.org, 'viewer');
  });
  afterAll(() => t.close());

  const openFrom = (as: TestUser, alertId: string, body: object = {}) =>
    t.http.post(`/api/v1/alerts/${alertId}/ticket`).set('Authorization', as.auth).send(body);

  /** A critical rule on the meter, and a 150 W reading through the ingest API that raises it. */
  async function raise(meter: MeterEntity): Promise<string> {
    await tenant.rule({
      name: `hot ${meter.name}`,
      scope: { meterId: meter.id },
      parameter: 'power_w',
      condition: 'above',
      threshold: 100,
      severity: 'critical',
    });
    await tenant.sendAndJudge([{ meter, value: 150, at: minutesAgo(5) }]);
    const [alert] = await tenant.alertsOf(meter);
    return alert['id'] as string;
  }

  it('opens a ticket from an ingested alert, linked both ways, once', async () => {
    const meter = await tenant.meter();
    const alertId = await raise(meter);
    const alert = (
      await t.http.get(`/api/v1/alerts/${alertId}`).set('Authorization', support.auth).expect(200)
    ).body;

    const made = (await openFrom(support, alertId).expect(201)).body as TicketView;
    expect(made).toMatchObject({
      alertId,
      meterId: meter.id,
      priority: 'urgent',
      subject: alert.title,
      status: 'open',
      creatorId: support.user.id,
    });
    expect(made.description).toContain(alert.message);
    expect(made.description).toContain('critical');
    expect(Date.parse(made.firstResponseDueAt) - Date.parse(made.createdAt)).toBe(30 * 60_000);
    await t.http.get(`/api/v1/tickets/${made.id}`).set('Authorization', viewer.auth).expect(200);

    const detail = await t.http
      .get(`/api/v1/alerts/${alertId}`)
      .set('Authorization', viewer.auth)
      .expect(200);
    expect(detail.body.timeline).toContainEqual({
      kind: 'ticket_opened',
      at: made.createdAt,
      userId: support.user.id,
      data: { ticketId: made.id, number: made.number },
    });
    const audit = await t.db
      .getRepository(EventEntity)
      .findBy({ subjectId: made.id, type: 'ticket.created' });
    expect(audit).toEqual([
      expect.objectContaining({
        actorId: support.user.id,
        data: expect.objectContaining({ alertId, meterId: meter.id, priority: 'urgent' }),
      }),
    ]);

    const again = await openFrom(tenant.owner, alertId, { subject: 'Another' }).expect(409);
    expect(again.body).toMatchObject({
      error: 'alert_ticket_exists',
      details: { ticketId: made.id, number: made.number },
    });
    expect(await t.db.getRepository(TicketEntity).countBy({ alertId })).toBe(1);
  });

  it('takes the priority from the severity unless subject, priority or assignee are given', async () => {
    const rule = await t.factory.alerts.rule(tenant.org);
    const meter = await tenant.meter();
    const expected = { critical: 'urgent', error: 'high', warning: 'normal', info: 'low' } as const;
    for (const [severity, priority] of Object.entries(expected)) {
      const alert = await t.factory.alerts.alert(rule, meter, {
        severity: severity as keyof typeof expected,
        status: 'resolved',
        resolvedAt: new Date(),
      });
      const made = (await openFrom(support, alert.id).expect(201)).body as TicketView;
      expect({ severity, priority: made.priority }).toEqual({ severity, priority });
    }

    const alert = await t.factory.alerts.alert(rule, meter, { severity: 'info' });
    const refused = await openFrom(support, alert.id, { assigneeId: viewer.user.id }).expect(400);
    expect(refused.body.error).toBe('invalid_assignee');
    const chosen = await openFrom(support, alert.id, {
      subject: 'Heater keeps tripping',
      priority: 'high',
      assigneeId: support.user.id,
    }).expect(201);
    expect(chosen.body).toMatchObject({
      subject: 'Heater keeps tripping',
      priority: 'high',
      assigneeId: support.user.id,
      alertId: alert.id,
    });
  });

  it("answers 404 for another organization's alert and 403 to a viewer, creating nothing", async () => {
    const other = await AlertTenant.create(t);
    const foreign = await t.factory.alerts.alert(
      await t.factory.alerts.rule(other.org),
      await other.meter(),
    );
    const missing = await openFrom(support, foreign.id).expect(404);
    expect(missing.body.error).toBe('alert_not_found');
    await openFrom(support, '00000000-0000-4000-8000-000000000000').expect(404);
    await openFrom(support, 'not-a-uuid').expect(400);

    const own = await t.factory.alerts.alert(
      await t.factory.alerts.rule(tenant.org),
      await tenant.meter(),
    );
    const forbidden = await openFrom(viewer, own.id).expect(403);
    expect(forbidden.body.error).toBe('forbidden');
    const repository = t.db.getRepository(TicketEntity);
    expect(await repository.countBy({ alertId: foreign.id })).toBe(0);
    expect(await repository.countBy({ alertId: own.id })).toBe(0);
  });

  it("a device snapshot lists the meter's open alerts, not resolved ones", async () => {
    const meter = await tenant.meter();
    const rule = await t.factory.alerts.rule(tenant.org);
    const active = await t.factory.alerts.alert(rule, meter, {
      triggeredAt: new Date(Date.now() - 60_000),
    });
    const acknowledged = await t.factory.alerts.alert(
      await t.factory.alerts.rule(tenant.org, { name: 'Second rule', severity: 'critical' }),
      meter,
      {
        status: 'acknowledged',
        acknowledgedAt: new Date(Date.now() - 30_000),
        acknowledgedBy: support.user.id,
        triggeredAt: new Date(Date.now() - 120_000),
      },
    );
    await t.factory.alerts.alert(rule, meter, { status: 'resolved', resolvedAt: new Date() });
    await t.factory.alerts.alert(rule, await tenant.meter(), { title: 'Another meter' });

    const made = (await openFrom(support, active.id).expect(201)).body as TicketView;
    const snapshot = await t.http
      .post(`/api/v1/tickets/${made.id}/snapshots`)
      .set('Authorization', support.auth)
      .send({ meterId: meter.id })
      .expect(201);
    expect(snapshot.body.document.openAlerts).toEqual([
      {
        id: active.id,
        ruleName: 'Test rule',
        severity: 'warning',
        status: 'active',
        title: active.title,
        condition: 'above',
        parameter: 'power_w',
        lastValue: 150,
        triggeredAt: active.triggeredAt.toISOString(),
        acknowledgedAt: null,
      },
      {
        id: acknowledged.id,
        ruleName: 'Second rule',
        severity: 'critical',
        status: 'acknowledged',
        title: acknowledged.title,
        condition: 'above',
        parameter: 'power_w',
        lastValue: 150,
        triggeredAt: acknowledged.triggeredAt.toISOString(),
        acknowledgedAt: acknowledged.acknowledgedAt?.toISOString(),
      },
    ]);
  });
});
