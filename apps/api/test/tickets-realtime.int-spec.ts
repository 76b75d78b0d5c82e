import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import type {
  RoomRef,
  SubscriptionAck,
  TicketAssignedEvent,
  TicketCreatedEvent,
  TicketMessageEvent,
  TicketStatusChangedEvent,
  TicketView,
} from '@gridwatch/contracts';
import type { OrganizationEntity } from '@gridwatch/server';
import type { TestUser } from './support/factory';
import { createTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';

/** A socket and the ticket events it received. */
interface Client {
  socket: Socket;
  messages: TicketMessageEvent[];
  created: TicketCreatedEvent[];
  assigned: TicketAssignedEvent[];
  statusChanged: TicketStatusChangedEvent[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Ticket rooms (socket.io)', () => {
  let t: TestApp;
  let port: number;
  let org: OrganizationEntity;
  let support: TestUser;
  let operator: TestUser;
  let viewer: TestUser;
  let outsider: TestUser;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await createTestApp({ QUEUE_PREFIX: `${process.env['QUEUE_PREFIX']}_tickets_rt` });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    org = await t.factory.organization();
    support = await t.factory.user(org, 'support');
    operator = await t.factory.user(org, 'operator');
    viewer = await t.factory.user(org, 'viewer');
    outsider = await t.factory.user(await t.factory.organization(), 'owner');
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await t.close();
  });

  async function connect(user: TestUser): Promise<Client> {
    const socket = io(`http://127.0.0.1:${port}/realtime`, {
      auth: { token: user.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    const client: Client = { socket, messages: [], created: [], assigned: [], statusChanged: [] };
    socket.on('ticket.message', (event: TicketMessageEvent) => client.messages.push(event));
    socket.on('ticket.created', (event: TicketCreatedEvent) => client.created.push(event));
    socket.on('ticket.assigned', (event: TicketAssignedEvent) => client.assigned.push(event));
    socket.on('ticket.status_changed', (event: TicketStatusChangedEvent) =>
      client.statusChanged.push(event),
    );
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    return client;
  }

  const subscribe = (client: Client, room: RoomRef): Promise<SubscriptionAck> =>
    client.socket.timeout(5000).emitWithAck('subscribe', room);

  async function openTicket(): Promise<TicketView> {
    return (
      await t.http
        .post('/api/v1/tickets')
        .set('Authorization', operator.auth)
        .send({ subject: 'Gateway offline' })
        .expect(201)
    ).body;
  }

  const post = (ticket: TicketView, body: object) =>
    t.http
      .post(`/api/v1/tickets/${ticket.id}/messages`)
      .set('Authorization', support.auth)
      .send(body)
      .expect(201);

  it('delivers a posted message to two clients in the ticket room within 1 s', async () => {
    const ticket = await openTicket();
    const a = await connect(operator);
    const b = await connect(viewer);
    expect(await subscribe(a, { kind: 'ticket', id: ticket.id })).toEqual({
      ok: true,
      room: { kind: 'ticket', id: ticket.id },
    });
    expect(await subscribe(b, { kind: 'ticket', id: ticket.id })).toMatchObject({ ok: true });
    const sent = Date.now();
    const posted = (await post(ticket, { body: 'We are on it' })).body;
    const arrivals = await Promise.all(
      [a, b].map((client) =>
        waitFor(
          async () => (client.messages.length > 0 ? Date.now() : undefined),
          1000,
          'ticket.message',
        ),
      ),
    );
    for (const arrival of arrivals) expect(arrival - sent).toBeLessThan(1000);
    for (const client of [a, b]) {
      expect(client.messages).toEqual([
        { organizationId: org.id, ticketId: ticket.id, message: posted },
      ]);
    }
  });

  it('refuses the ticket rooms to a client of another organization, as an unknown ticket', async () => {
    const ticket = await openTicket();
    const foreign = await connect(outsider);
    for (const kind of ['ticket', 'ticket_internal'] as const) {
      expect(await subscribe(foreign, { kind, id: ticket.id })).toEqual({
        ok: false,
        room: { kind, id: ticket.id },
        error: 'room_not_found',
        message: `No such ${kind}`,
      });
    }
    await post(ticket, { body: 'Not for outsiders' });
    await sleep(300);
    expect(foreign.messages).toEqual([]);
  });

  it('never sends an internal note to a viewer’s socket; writers in the internal room get it', async () => {
    const ticket = await openTicket();
    const viewerClient = await connect(viewer);
    const writer = await connect(operator);
    expect(await subscribe(viewerClient, { kind: 'ticket', id: ticket.id })).toMatchObject({
      ok: true,
    });
    expect(await subscribe(viewerClient, { kind: 'ticket_internal', id: ticket.id })).toMatchObject(
      { ok: false, error: 'forbidden' },
    );
    await subscribe(writer, { kind: 'ticket', id: ticket.id });
    expect(await subscribe(writer, { kind: 'ticket_internal', id: ticket.id })).toMatchObject({
      ok: true,
    });
    await post(ticket, { body: 'Customer site has no SIM credit', internal: true });
    await post(ticket, { body: 'Public answer' });
    await waitFor(async () => (writer.messages.length === 2 ? true : undefined), 2000, 'both');
    await waitFor(async () => (viewerClient.messages.length > 0 ? true : undefined), 2000, 'one');
    await sleep(300);
    expect(viewerClient.messages.map((event) => event.message.body)).toEqual(['Public answer']);
    expect(writer.messages.map((event) => [event.message.body, event.message.internal])).toEqual([
      ['Customer site has no SIM credit', true],
      ['Public answer', false],
    ]);
  });

  it('publishes ticket.created for a ticket opened from an alert', async () => {
    const client = await connect(viewer);
    await subscribe(client, { kind: 'organization' });
    const alert = await t.factory.alerts.alert(
      await t.factory.alerts.rule(org),
      await t.factory.meter(await t.factory.site(org)),
    );
    const made = await t.http
      .post(`/api/v1/alerts/${alert.id}/ticket`)
      .set('Authorization', support.auth)
      .send({})
      .expect(201);
    await waitFor(async () => (client.created.length > 0 ? true : undefined), 2000);
    expect(client.created).toContainEqual({
      organizationId: org.id,
      ticket: expect.objectContaining({ id: made.body.id, alertId: alert.id }),
    });
  });

  it('publishes ticket.created, .assigned and .status_changed to the organization room', async () => {
    const client = await connect(viewer);
    await subscribe(client, { kind: 'organization' });
    const ticket = await openTicket();
    await t.http
      .patch(`/api/v1/tickets/${ticket.id}`)
      .set('Authorization', operator.auth)
      .send({ assigneeId: support.user.id })
      .expect(200);
    await t.http
      .post(`/api/v1/tickets/${ticket.id}/status`)
      .set('Authorization', support.auth)
      .send({ status: 'in_progress', note: 'Calling the site' })
      .expect(200);
    await waitFor(async () => (client.statusChanged.length > 0 ? true : undefined), 2000);
    expect(client.created.map((event) => event.ticket.id)).toContain(ticket.id);
    expect(client.assigned).toContainEqual(
      expect.objectContaining({ ticketId: ticket.id, assigneeId: support.user.id }),
    );
    expect(client.statusChanged).toContainEqual(
      expect.objectContaining({
        ticketId: ticket.id,
        from: 'open',
        to: 'in_progress',
        note: 'Calling the site',
        by: support.user.id,
      }),
    );
  });
});
