import { randomUUID } from 'node:crypto';
import type { TicketView } from '@gridwatch/contracts';
import {
  EventEntity,
  GatewayEntity,
  MeterEntity,
  OrganizationEntity,
  TicketEntity,
} from '@gridwatch/server';
import { Clock } from '../src/common/clock';
import type { TestUser } from './support/factory';
import { createTestApp, type TestApp } from './support/test-app';

describe('Tickets', () => {
  let t: TestApp;
  let org: OrganizationEntity;
  let owner: TestUser;
  let operator: TestUser;
  let support: TestUser;
  let viewer: TestUser;
  let meter: MeterEntity;

  beforeAll(async () => {
    t = await createTestApp();
    org = await t.factory.organization();
    owner = await t.factory.user(org, 'owner');
    operator = await t.factory.user(org, 'operator');
    support = await t.factory.user(org, 'support');
    viewer = await t.factory.user(org, 'viewer');
    meter = await t.factory.meter(await t.factory.site(org));
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => t.close());

  const open = (as: TestUser, body: object = {}) =>
    t.http
      .post('/api/v1/tickets')
      .set('Authorization', as.auth)
      .send({ subject: 'Meter reads zero', ...body });

  async function ticket(as: TestUser = operator, body: object = {}): Promise<TicketView> {
    return (await open(as, body).expect(201)).body as TicketView;
  }

  describe('opening and reading', () => {
    it('numbers tickets per organization from GW-1001 and derives due times from the priority', async () => {
      const fresh = await t.factory.organization();
      const writer = await t.factory.user(fresh, 'support');
      const first = await ticket(writer, { priority: 'urgent', description: 'Since Monday' });
      const second = await ticket(writer);
      expect(first).toMatchObject({
        number: 'GW-1001',
        subject: 'Meter reads zero',
        description: 'Since Monday',
        priority: 'urgent',
        status: 'open',
        creatorId: writer.user.id,
        assigneeId: null,
        alertId: null,
        overdue: false,
        unreadCount: 0,
      });
      expect(second.number).toBe('GW-1002');
      const created = Date.parse(first.createdAt);
      expect(Date.parse(first.firstResponseDueAt) - created).toBe(30 * 60_000);
      expect(Date.parse(first.resolutionDueAt) - created).toBe(4 * 3600_000);
      const elsewhere = await t.factory.user(await t.factory.organization(), 'operator');
      expect((await ticket(elsewhere)).number).toBe('GW-1001');
      expect((await ticket(writer)).number).toBe('GW-1003');
    });

    it('lets a viewer read but not write; support writes', async () => {
      const made = await ticket(support, { meterId: meter.id });
      await t.http.get(`/api/v1/tickets/${made.id}`).set('Authorization', viewer.auth).expect(200);
      const list = await t.http
        .get('/api/v1/tickets')
        .set('Authorization', viewer.auth)
        .expect(200);
      expect(list.body.items.map((item: TicketView) => item.id)).toContain(made.id);
      const refused = [
        await open(viewer),
        await t.http
          .patch(`/api/v1/tickets/${made.id}`)
          .set('Authorization', viewer.auth)
          .send({ subject: 'x' }),
        await t.http
          .post(`/api/v1/tickets/${made.id}/messages`)
          .set('Authorization', viewer.auth)
          .send({ body: 'hello' }),
        await t.http
          .post(`/api/v1/tickets/${made.id}/status`)
          .set('Authorization', viewer.auth)
          .send({ status: 'in_progress' }),
      ];
      expect(refused.map((response) => [response.status, response.body.error])).toEqual(
        refused.map(() => [403, 'forbidden']),
      );
    });

    it('records ticket.created in the audit trail', async () => {
      const made = await ticket(support, { priority: 'high' });
      const events = await t.db
        .getRepository(EventEntity)
        .findBy({ subjectId: made.id, type: 'ticket.created' });
      expect(events).toEqual([
        expect.objectContaining({
          actorId: support.user.id,
          data: expect.objectContaining({ number: made.number, priority: 'high' }),
        }),
      ]);
    });

    it('filters by status, priority, assignee (me, none, id), meter and text, and sorts', async () => {
      const fresh = await t.factory.organization();
      const me = await t.factory.user(fresh, 'support');
      const colleague = await t.factory.user(fresh, 'operator');
      const freshMeter = await t.factory.meter(await t.factory.site(fresh));
      const a = await ticket(me, { subject: 'Inverter fault', priority: 'low' });
      const b = await ticket(me, {
        subject: 'UPS alarm',
        priority: 'urgent',
        assigneeId: me.user.id,
        meterId: freshMeter.id,
      });
      const c = await ticket(me, {
        subject: 'Heater',
        priority: 'high',
        assigneeId: colleague.user.id,
      });
      await t.http
        .post(`/api/v1/tickets/${c.id}/status`)
        .set('Authorization', me.auth)
        .send({ status: 'in_progress' })
        .expect(200);
      const ids = async (query: string) => {
        const response = await t.http
          .get(`/api/v1/tickets?${query}`)
          .set('Authorization', me.auth)
          .expect(200);
        return response.body.items.map((item: TicketView) => item.id);
      };
      expect(await ids('status=in_progress')).toEqual([c.id]);
      expect(await ids('priority=urgent')).toEqual([b.id]);
      expect(await ids('assignee=me')).toEqual([b.id]);
      expect(await ids('assignee=none')).toEqual([a.id]);
      expect(await ids(`assignee=${colleague.user.id}`)).toEqual([c.id]);
      expect(await ids(`meterId=${freshMeter.id}`)).toEqual([b.id]);
      expect(await ids('q=inverter')).toEqual([a.id]);
      expect(await ids(`q=${b.number}`)).toEqual([b.id]);
      expect(await ids('sort=priority&order=desc')).toEqual([b.id, c.id, a.id]);
      expect(await ids('sort=number&order=asc')).toEqual([a.id, b.id, c.id]);
      const bad = await t.http
        .get('/api/v1/tickets?assignee=somebody')
        .set('Authorization', me.auth)
        .expect(400);
      expect(bad.body.error).toBe('validation_failed');
    });
  });

  describe('assignees', () => {
    it('accepts an owner, operator or support user of the organization', async () => {
      for (const assignee of [owner, operator, support]) {
        const made = await ticket(operator, { assigneeId: assignee.user.id });
        expect(made.assigneeId).toBe(assignee.user.id);
      }
    });

    it('refuses a viewer, another organization’s user and an unknown id with 400', async () => {
      const outsider = await t.factory.user(await t.factory.organization(), 'support');
      for (const assigneeId of [viewer.user.id, outsider.user.id, randomUUID()]) {
        const created = await open(operator, { assigneeId });
        expect([created.status, created.body.error]).toEqual([400, 'invalid_assignee']);
      }
      const made = await ticket(operator);
      const patched = await t.http
        .patch(`/api/v1/tickets/${made.id}`)
        .set('Authorization', operator.auth)
        .send({ assigneeId: viewer.user.id });
      expect([patched.status, patched.body.error]).toEqual([400, 'invalid_assignee']);
    });

    it('assigns and unassigns through PATCH, audited as ticket.assigned', async () => {
      const made = await ticket(operator);
      const assigned = await t.http
        .patch(`/api/v1/tickets/${made.id}`)
        .set('Authorization', operator.auth)
        .send({ assigneeId: support.user.id })
        .expect(200);
      expect(assigned.body.assigneeId).toBe(support.user.id);
      const unassigned = await t.http
        .patch(`/api/v1/tickets/${made.id}`)
        .set('Authorization', operator.auth)
        .send({ assigneeId: null })
        .expect(200);
      expect(unassigned.body.assigneeId).toBeNull();
      const events = await t.db.getRepository(EventEntity).find({
        where: { subjectId: made.id, type: 'ticket.assigned' },
        order: { occurredAt: 'ASC' },
      });
      expect(events.map((event) => event.data)).toEqual([
        expect.objectContaining({ from: null, to: support.user.id }),
        expect.objectContaining({ from: support.user.id, to: null }),
      ]);
    });
  });

  describe('status', () => {
    const move = (id: string, status: string, note?: string) =>
      t.http
        .post(`/api/v1/tickets/${id}/status`)
        .set('Authorization', support.auth)
        .send({ status, ...(note ? { note } : {}) });

    it('walks open -> in_progress -> resolved -> open -> ... -> closed', async () => {
      const made = await ticket(support);
      expect((await move(made.id, 'in_progress').expect(200)).body.status).toBe('in_progress');
      const resolved = (await move(made.id, 'resolved', 'Clamp reseated').expect(200)).body;
      expect(resolved.resolvedAt).not.toBeNull();
      const reopened = (await move(made.id, 'open').expect(200)).body;
      expect(reopened).toMatchObject({ status: 'open', resolvedAt: null });
      await move(made.id, 'in_progress').expect(200);
      await move(made.id, 'resolved').expect(200);
      const closed = (await move(made.id, 'closed').expect(200)).body;
      expect(closed.closedAt).not.toBeNull();
      const audit = await t.db
        .getRepository(EventEntity)
        .findBy({ subjectId: made.id, type: 'ticket.status_changed' });
      expect(audit).toHaveLength(6);
      expect(audit.map((event) => event.data)).toContainEqual(
        expect.objectContaining({ from: 'in_progress', to: 'resolved', note: 'Clamp reseated' }),
      );
    });

    it('answers an illegal move with 409 and the allowed ones', async () => {
      const made = await ticket(support);
      const skipped = await move(made.id, 'closed').expect(409);
      expect(skipped.body).toEqual({
        statusCode: 409,
        error: 'illegal_status_transition',
        message: 'A ticket cannot go from open to closed',
        details: { from: 'open', to: 'closed', allowed: ['in_progress'] },
      });
      const unknown = await move(made.id, 'archived').expect(400);
      expect(unknown.body.error).toBe('validation_failed');
    });
  });

  describe('SLA', () => {
    it('flags an urgent ticket unanswered past its first-response time as overdue (controlled clock)', async () => {
      const clock = t.app.get(Clock);
      const opened = new Date('2026-12-07T08:00:00.000Z');
      jest.spyOn(clock, 'now').mockReturnValue(opened);
      const urgent = await ticket(operator, { priority: 'urgent' });
      const normal = await ticket(operator, { priority: 'normal' });
      expect(urgent.firstResponseDueAt).toBe('2026-12-07T08:30:00.000Z');

      const overdueAt = (minutes: number) =>
        jest.spyOn(clock, 'now').mockReturnValue(new Date(opened.getTime() + minutes * 60_000));
      const overdue = async (id: string) =>
        (await t.http.get(`/api/v1/tickets/${id}`).set('Authorization', viewer.auth).expect(200))
          .body.overdue;
      overdueAt(30);
      expect(await overdue(urgent.id)).toBe(false);
      overdueAt(31);
      expect(await overdue(urgent.id)).toBe(true);
      expect(await overdue(normal.id)).toBe(false);
      const list = await t.http
        .get('/api/v1/tickets?priority=urgent&limit=200')
        .set('Authorization', viewer.auth)
        .expect(200);
      expect(list.body.items.find((item: TicketView) => item.id === urgent.id).overdue).toBe(true);
    });

    it('records the first response when a staff user other than the creator answers publicly', async () => {
      const clock = t.app.get(Clock);
      const opened = new Date('2026-12-07T09:00:00.000Z');
      jest.spyOn(clock, 'now').mockReturnValue(opened);
      const made = await ticket(operator, { priority: 'urgent' });
      const say = (as: TestUser, body: object) =>
        t.http
          .post(`/api/v1/tickets/${made.id}/messages`)
          .set('Authorization', as.auth)
          .send(body)
          .expect(201);
      jest.spyOn(clock, 'now').mockReturnValue(new Date(opened.getTime() + 5 * 60_000));
      await say(operator, { body: 'Any news?' });
      await say(support, { body: 'Checking the gateway', internal: true });
      let view = (await t.http.get(`/api/v1/tickets/${made.id}`).set('Authorization', owner.auth))
        .body as TicketView;
      expect(view.firstResponseAt).toBeNull();
      jest.spyOn(clock, 'now').mockReturnValue(new Date(opened.getTime() + 12 * 60_000));
      await say(support, { body: 'On it: the clamp is loose' });
      jest.spyOn(clock, 'now').mockReturnValue(new Date(opened.getTime() + 60 * 60_000));
      view = (await t.http.get(`/api/v1/tickets/${made.id}`).set('Authorization', owner.auth))
        .body as TicketView;
      expect(view).toMatchObject({
        firstResponseAt: '2026-12-07T09:12:00.000Z',
        firstResponseSeconds: 720,
        overdue: false,
      });
    });

    it('takes new targets from settings:write users only, for tickets opened afterwards', async () => {
      const fresh = await t.factory.organization();
      const freshOwner = await t.factory.user(fresh, 'owner');
      const freshOperator = await t.factory.user(fresh, 'operator');
      const defaults = await t.http
        .get('/api/v1/settings/ticket-sla')
        .set('Authorization', freshOperator.auth)
        .expect(200);
      expect(defaults.body.urgent).toEqual({ firstResponseMinutes: 30, resolutionMinutes: 240 });
      const policy = {
        ...defaults.body,
        urgent: { firstResponseMinutes: 10, resolutionMinutes: 60 },
      };
      await t.http
        .put('/api/v1/settings/ticket-sla')
        .set('Authorization', freshOperator.auth)
        .send(policy)
        .expect(403);
      const inverted = { ...policy, low: { firstResponseMinutes: 100, resolutionMinutes: 10 } };
      const refused = await t.http
        .put('/api/v1/settings/ticket-sla')
        .set('Authorization', freshOwner.auth)
        .send(inverted)
        .expect(400);
      expect(refused.body.details).toEqual([{ field: 'low', messages: expect.any(Array) }]);
      await t.http
        .put('/api/v1/settings/ticket-sla')
        .set('Authorization', freshOwner.auth)
        .send(policy)
        .expect(200);
      const made = await ticket(freshOperator, { priority: 'urgent' });
      expect(Date.parse(made.firstResponseDueAt) - Date.parse(made.createdAt)).toBe(10 * 60_000);
    });
  });

  describe('messages', () => {
    it('keeps internal notes from viewers and counts unread messages per user', async () => {
      const made = await ticket(operator);
      const post = (as: TestUser, body: object) =>
        t.http
          .post(`/api/v1/tickets/${made.id}/messages`)
          .set('Authorization', as.auth)
          .send(body)
          .expect(201);
      await post(operator, { body: 'Meter 3 <b>reads</b> zero' });
      await post(support, { body: 'Looking into it' });
      await post(support, { body: 'Probably the CT clamp', internal: true });
      const bodies = async (as: TestUser) =>
        (
          await t.http
            .get(`/api/v1/tickets/${made.id}/messages`)
            .set('Authorization', as.auth)
            .expect(200)
        ).body.items.map((message: { body: string }) => message.body);
      expect(await bodies(viewer)).toEqual(['Meter 3 <b>reads</b> zero', 'Looking into it']);
      expect(await bodies(owner)).toEqual([
        'Meter 3 <b>reads</b> zero',
        'Looking into it',
        'Probably the CT clamp',
      ]);
      const unread = async (as: TestUser) =>
        (await t.http.get(`/api/v1/tickets/${made.id}`).set('Authorization', as.auth)).body
          .unreadCount;
      expect(await unread(viewer)).toBe(2);
      expect(await unread(owner)).toBe(3);
      expect(await unread(operator)).toBe(2);
      await t.http
        .post(`/api/v1/tickets/${made.id}/read`)
        .set('Authorization', viewer.auth)
        .expect(200);
      expect(await unread(viewer)).toBe(0);
      await post(support, { body: 'Fixed?' });
      expect(await unread(viewer)).toBe(1);
    });

    it('pages the conversation with a cursor', async () => {
      const made = await ticket(operator);
      for (const body of ['one', 'two', 'three']) {
        await t.http
          .post(`/api/v1/tickets/${made.id}/messages`)
          .set('Authorization', operator.auth)
          .send({ body })
          .expect(201);
      }
      const first = await t.http
        .get(`/api/v1/tickets/${made.id}/messages?limit=2`)
        .set('Authorization', viewer.auth)
        .expect(200);
      expect(first.body.items.map((m: { body: string }) => m.body)).toEqual(['one', 'two']);
      expect(first.body.total).toBe(3);
      const second = await t.http
        .get(`/api/v1/tickets/${made.id}/messages?limit=2&cursor=${first.body.nextCursor}`)
        .set('Authorization', viewer.auth)
        .expect(200);
      expect(second.body.items.map((m: { body: string }) => m.body)).toEqual(['three']);
      expect(second.body.nextCursor).toBeUndefined();
    });

    it('refuses an empty body, one over 10,000 characters and messages on a closed ticket', async () => {
      const made = await ticket(support);
      const post = (body: object) =>
        t.http
          .post(`/api/v1/tickets/${made.id}/messages`)
          .set('Authorization', support.auth)
          .send(body);
      expect((await post({ body: '' })).status).toBe(400);
      expect((await post({ body: 'x'.repeat(10_001) })).status).toBe(400);
      expect((await post({ body: 'x'.repeat(10_000) })).status).toBe(201);
      for (const status of ['in_progress', 'resolved', 'closed']) {
        await t.http
          .post(`/api/v1/tickets/${made.id}/status`)
          .set('Authorization', support.auth)
          .send({ status })
          .expect(200);
      }
      const closed = await post({ body: 'hello?' });
      expect([closed.status, closed.body.error]).toEqual([409, 'ticket_closed']);
    });
  });

  describe('device snapshots', () => {
    it('captures what the database holds at capture time, as version 1 then 2', async () => {
      const site = await t.factory.site(org);
      const gateway = await t.factory.gateway(site, 'mqtt', {
        status: 'online',
        lastSeenAt: new Date('2026-12-07T07:59:00Z'),
        connection: { ip: '10.20.0.7', signalDbm: -71, sim: '8944...' },
      });
      const snapMeter = await t.factory.meter(site, gateway, 'heater', {
        status: 'online',
        firmware: '2.1.0',
      });
      await t.db.query(
        `INSERT INTO readings (meter_id, parameter, ts, value, unit, quality, source, organization_id)
         VALUES ($1, 'power_w', $2, 1500, 'W', 'good', 'mqtt', $3),
                ($1, 'power_w', $4, 1700, 'W', 'good', 'mqtt', $3),
                ($1, 'voltage_v', $2, 231.5, 'V', 'estimated', 'mqtt', $3)`,
        [snapMeter.id, new Date(Date.now() - 120_000), org.id, new Date(Date.now() - 60_000)],
      );
      const issue = await t.factory.dataQualityIssue(snapMeter);
      const made = await ticket(support, { meterId: snapMeter.id });
      const first = await t.http
        .post(`/api/v1/tickets/${made.id}/snapshots`)
        .set('Authorization', support.auth)
        .send({ meterId: snapMeter.id })
        .expect(201);

      const storedMeter = await t.db
        .getRepository(MeterEntity)
        .findOneByOrFail({ id: snapMeter.id });
      const storedGateway = await t.db
        .getRepository(GatewayEntity)
        .findOneByOrFail({ id: gateway.id });
      const latest = (await t.db.query(
        `SELECT DISTINCT ON (parameter) parameter, ts, value, unit, quality FROM readings
         WHERE meter_id = $1 ORDER BY parameter, ts DESC`,
        [snapMeter.id],
      )) as Array<{ parameter: string; ts: Date; value: number; unit: string; quality: string }>;
      expect(first.body).toMatchObject({ version: 1, meterId: snapMeter.id, ticketId: made.id });
      expect(first.body.document).toEqual({
        schemaVersion: 1,
        capturedAt: first.body.capturedAt,
        meter: {
          id: storedMeter.id,
          name: storedMeter.name,
          kind: 'heater',
          status: 'online',
          siteId: site.id,
          model: storedMeter.model,
          firmware: '2.1.0',
          location: storedMeter.location,
          lastSeenAt: storedMeter.lastSeenAt?.toISOString() ?? null,
        },
        latestReadings: latest.map((row) => ({ ...row, ts: row.ts.toISOString() })),
        dataQualityIssues: [
          {
            id: issue.id,
            kind: 'out_of_range',
            severity: 'warning',
            parameter: 'frequency_hz',
            message: issue.message,
            detectedAt: issue.detectedAt.toISOString(),
            resolvedAt: null,
          },
        ],
        openAlerts: [],
        gateway: {
          id: gateway.id,
          serialNumber: gateway.serialNumber,
          name: gateway.name,
          protocol: 'mqtt',
          status: 'online',
          lastSeenAt: '2026-12-07T07:59:00.000Z',
          connection: storedGateway.connection,
        },
      });
      expect(first.body.document.latestReadings).toContainEqual(
        expect.objectContaining({ parameter: 'power_w', value: 1700 }),
      );

      await t.db.getRepository(MeterEntity).update(snapMeter.id, { status: 'maintenance' });
      const second = await t.http
        .post(`/api/v1/tickets/${made.id}/snapshots`)
        .set('Authorization', support.auth)
        .send({ meterId: snapMeter.id })
        .expect(201);
      expect(second.body.version).toBe(2);
      expect(second.body.document.meter.status).toBe('maintenance');

      const list = await t.http
        .get(`/api/v1/tickets/${made.id}/snapshots`)
        .set('Authorization', viewer.auth)
        .expect(200);
      expect(list.body.items.map((s: { version: number }) => s.version)).toEqual([1, 2]);
      const v1 = await t.http
        .get(`/api/v1/tickets/${made.id}/snapshots/1`)
        .set('Authorization', viewer.auth)
        .expect(200);
      expect(v1.body.document).toEqual(first.body.document);
      await t.http
        .get(`/api/v1/tickets/${made.id}/snapshots/3`)
        .set('Authorization', viewer.auth)
        .expect(404);
    });

    it('refuses a snapshot over 256 KiB with 413', async () => {
      const site = await t.factory.site(org);
      const gateway = await t.factory.gateway(site, 'http', {
        connection: { notes: 'x'.repeat(300 * 1024) },
      });
      const big = await t.factory.meter(site, gateway);
      const made = await ticket(support);
      const refused = await t.http
        .post(`/api/v1/tickets/${made.id}/snapshots`)
        .set('Authorization', support.auth)
        .send({ meterId: big.id })
        .expect(413);
      expect(refused.body.error).toBe('snapshot_too_large');
    });
  });

  describe('tenant isolation', () => {
    it("answers 404 for another organization's tickets, messages and snapshots, and lists none of them", async () => {
      const otherOrg = await t.factory.organization();
      const otherSupport = await t.factory.user(otherOrg, 'support');
      const otherMeter = await t.factory.meter(await t.factory.site(otherOrg));
      const theirs = await ticket(otherSupport, { meterId: otherMeter.id });
      await t.http
        .post(`/api/v1/tickets/${theirs.id}/messages`)
        .set('Authorization', otherSupport.auth)
        .send({ body: 'secret' })
        .expect(201);
      await t.http
        .post(`/api/v1/tickets/${theirs.id}/snapshots`)
        .set('Authorization', otherSupport.auth)
        .send({ meterId: otherMeter.id })
        .expect(201);
      const calls: Array<['get' | 'post' | 'patch', string, object?]> = [
        ['get', `/api/v1/tickets/${theirs.id}`],
        ['patch', `/api/v1/tickets/${theirs.id}`, { subject: 'x' }],
        ['post', `/api/v1/tickets/${theirs.id}/status`, { status: 'in_progress' }],
        ['get', `/api/v1/tickets/${theirs.id}/messages`],
        ['post', `/api/v1/tickets/${theirs.id}/messages`, { body: 'hi' }],
        ['post', `/api/v1/tickets/${theirs.id}/read`],
        ['get', `/api/v1/tickets/${theirs.id}/snapshots`],
        ['get', `/api/v1/tickets/${theirs.id}/snapshots/1`],
        ['post', `/api/v1/tickets/${theirs.id}/snapshots`, { meterId: meter.id }],
      ];
      for (const [method, path, body] of calls) {
        const response = await t.http[method](path)
          .set('Authorization', owner.auth)
          .send(body ?? {});
        expect({
          call: `${method} ${path}`,
          status: response.status,
          error: response.body.error,
        }).toEqual({
          call: `${method} ${path}`,
          status: 404,
          error: 'ticket_not_found',
        });
      }
      const mine = await ticket(support);
      const foreignMeter = await t.http
        .post(`/api/v1/tickets/${mine.id}/snapshots`)
        .set('Authorization', support.auth)
        .send({ meterId: otherMeter.id });
      expect([foreignMeter.status, foreignMeter.body.error]).toEqual([404, 'meter_not_found']);
      const linked = await open(support, { meterId: otherMeter.id });
      expect([linked.status, linked.body.error]).toEqual([404, 'meter_not_found']);
      const list = await t.http.get('/api/v1/tickets?limit=200').set('Authorization', owner.auth);
      expect(list.body.items.map((item: TicketView) => item.id)).not.toContain(theirs.id);
      expect(await t.db.getRepository(TicketEntity).countBy({ id: theirs.id })).toBe(1);
    });
  });
});
