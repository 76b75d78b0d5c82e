import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import type {
  ConnectErrorData,
  DeviceStatusChangedEvent,
  GatewayStatusChangedEvent,
  ReadingReceivedEvent,
  RoomRef,
  SubscriptionAck,
  SubscriptionErrorNotice,
} from '@gridwatch/contracts';
import { RealtimeEvent } from '@gridwatch/contracts';
import type { GatewayEntity, MeterEntity, OrganizationEntity, SiteEntity } from '@gridwatch/server';
import type { DeviceKeys, TestUser } from './support/factory';
import { RealtimeMetrics } from '../src/modules/realtime/realtime-metrics';
import { createTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';

interface Tenant {
  org: OrganizationEntity;
  site: SiteEntity;
  gateway: GatewayEntity;
  meter: MeterEntity;
  keys: DeviceKeys;
  viewer: TestUser;
}

/** A socket and everything it received, in order. */
interface Client {
  socket: Socket;
  readings: ReadingReceivedEvent[];
  deviceStatus: DeviceStatusChangedEvent[];
  gatewayStatus: GatewayStatusChangedEvent[];
  refusals: SubscriptionErrorNotice[];
}

const secondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Realtime WebSockets', () => {
  // A processes ingest jobs; B serves HTTP and sockets only, so what B's clients receive was
  // published by another process and came through Redis.
  let a: TestApp;
  let b: TestApp;
  let portA: number;
  let portB: number;
  let first: Tenant;
  let second: Tenant;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    // Its own queue and adapter prefix: only instance A may process these jobs (an app of another
    // test file closing mid-window would otherwise take a job and drop its coalesced event).
    const prefix = `${process.env['QUEUE_PREFIX']}_rt`;
    a = await createTestApp({ REALTIME_COALESCE_MS: '300', QUEUE_PREFIX: prefix });
    b = await createTestApp({ PROCESS_MODE: 'api', QUEUE_PREFIX: prefix });
    portA = await listen(a);
    portB = await listen(b);
    first = await tenant(a);
    second = await tenant(a);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await Promise.all([a?.close(), b?.close()]);
  });

  async function listen(t: TestApp): Promise<number> {
    await t.app.listen(0, '127.0.0.1');
    return (t.app.getHttpServer().address() as AddressInfo).port;
  }

  async function tenant(t: TestApp): Promise<Tenant> {
    const org = await t.factory.organization();
    const site = await t.factory.site(org);
    const gateway = await t.factory.gateway(site);
    const meter = await t.factory.meter(site, gateway);
    const keys = await t.factory.credential(gateway);
    const viewer = await t.factory.user(org, 'viewer');
    return { org, site, gateway, meter, keys, viewer };
  }

  function socketTo(port: number, token?: string): Socket {
    const socket = io(`http://127.0.0.1:${port}/realtime`, {
      auth: token === undefined ? {} : { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    return socket;
  }

  /** Resolves once connected; rejects with the server's refusal. */
  async function connect(port: number, token?: string): Promise<Client> {
    const socket = socketTo(port, token);
    const client: Client = {
      socket,
      readings: [],
      deviceStatus: [],
      gatewayStatus: [],
      refusals: [],
    };
    socket.on('reading.received', (event: ReadingReceivedEvent) => client.readings.push(event));
    socket.on('device.status_changed', (event: DeviceStatusChangedEvent) =>
      client.deviceStatus.push(event),
    );
    socket.on('gateway.status_changed', (event: GatewayStatusChangedEvent) =>
      client.gatewayStatus.push(event),
    );
    socket.on('subscription_error', (notice: SubscriptionErrorNotice) =>
      client.refusals.push(notice),
    );
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    return client;
  }

  async function refusal(port: number, token?: string) {
    const error = await connect(port, token).then(
      () => undefined,
      (failure: Error & { data?: ConnectErrorData }) => failure,
    );
    expect(error).toBeDefined();
    return { message: error?.message, data: error?.data };
  }

  function subscribe(client: Client, room: RoomRef | unknown): Promise<SubscriptionAck> {
    return client.socket.timeout(5000).emitWithAck('subscribe', room);
  }

  function ingest(via: TestApp, owner: Tenant, readings: object[]) {
    return via.http
      .post('/api/v1/readings/ingest')
      .set(owner.keys.headers())
      .send({ gateway_serial: owner.gateway.serialNumber, timestamp: secondsAgo(1), readings })
      .expect(202);
  }

  describe('handshake', () => {
    it('refuses a connection without a token', async () => {
      expect(await refusal(portB)).toEqual({
        message: 'unauthenticated',
        data: { code: 'unauthenticated', message: expect.any(String) },
      });
    });

    it('refuses a forged, an expired and a disabled user’s token', async () => {
      const forged = `${first.viewer.token.slice(0, -4)}AAAA`;
      expect(await refusal(portB, forged)).toMatchObject({ message: 'invalid_token' });

      const expired = b.factory.token(first.viewer.user, { expiresIn: -10 });
      expect(await refusal(portB, expired)).toEqual({
        message: 'invalid_token',
        data: { code: 'invalid_token', message: 'The access token has expired' },
      });

      const disabled = await b.factory.user(first.org, 'operator', { disabled: true });
      expect(await refusal(portB, disabled.token)).toMatchObject({ message: 'invalid_token' });
    });

    it('tells the socket its token expired, disconnects it, and accepts a fresh token', async () => {
      const shortLived = b.factory.token(first.viewer.user, { expiresIn: 2 });
      const client = await connect(portB, shortLived);
      const notice = new Promise((resolve) => client.socket.once('token_expired', resolve));
      const reason = await new Promise((resolve) => client.socket.once('disconnect', resolve));
      expect(await notice).toEqual({ expiredAt: expect.any(String) });
      expect(reason).toBe('io server disconnect');

      const again = await connect(portB, b.factory.token(first.viewer.user));
      expect(again.socket.connected).toBe(true);
      expect(await subscribe(again, { kind: 'organization' })).toMatchObject({ ok: true });
    });
  });

  describe('subscriptions', () => {
    it('refuses every room of another organization, exactly as an unknown one, and sends it nothing', async () => {
      const viewer = await connect(portB, first.viewer.token);
      const foreignRooms: RoomRef[] = [
        { kind: 'meter', id: second.meter.id },
        { kind: 'site', id: second.site.id },
        { kind: 'organization', id: second.org.id },
      ];
      const acks = [];
      for (const room of foreignRooms) acks.push(await subscribe(viewer, room));
      expect(acks).toEqual(
        foreignRooms.map((room) => ({
          ok: false,
          room,
          error: 'room_not_found',
          message: `No such ${room.kind}`,
        })),
      );
      const unknownMeter = { kind: 'meter', id: randomUUID() };
      const unknownSite = { kind: 'site', id: randomUUID() };
      expect(await subscribe(viewer, unknownMeter)).toEqual({ ...acks[0], room: unknownMeter });
      expect(await subscribe(viewer, unknownSite)).toEqual({ ...acks[1], room: unknownSite });
      expect(await subscribe(viewer, { kind: 'meter', id: 'not-a-uuid' })).toMatchObject({
        ok: false,
        error: 'invalid_room',
      });
      expect(await subscribe(viewer, { kind: 'gateway', id: second.gateway.id })).toMatchObject({
        ok: false,
        error: 'invalid_room',
      });
      await waitFor(async () => (viewer.refusals.length >= 7 ? true : undefined), 5000);
      expect(viewer.refusals.map((notice) => notice.error)).toEqual([
        'room_not_found',
        'room_not_found',
        'room_not_found',
        'room_not_found',
        'room_not_found',
        'invalid_room',
        'invalid_room',
      ]);

      // Its own organization room is allowed; the other organization's reading still never arrives.
      expect(await subscribe(viewer, { kind: 'organization' })).toEqual({
        ok: true,
        room: { kind: 'organization', id: first.org.id },
      });
      const owner = await connect(portB, second.viewer.token);
      expect(await subscribe(owner, { kind: 'meter', id: second.meter.id })).toMatchObject({
        ok: true,
      });
      await ingest(a, second, [
        { meter_id: second.meter.id, parameter: 'power_w', value: 777, unit: 'W' },
      ]);
      await ingest(a, first, [
        { meter_id: first.meter.id, parameter: 'power_w', value: 111, unit: 'W' },
      ]);
      await waitFor(async () => (owner.readings.length > 0 ? true : undefined), 10000);
      await waitFor(async () => (viewer.readings.length > 0 ? true : undefined), 10000);
      await sleep(500);
      const seen = JSON.stringify([viewer.readings, viewer.deviceStatus, viewer.gatewayStatus]);
      expect(seen).not.toContain(second.org.id);
      expect(seen).not.toContain(second.meter.id);
      expect(viewer.readings.flatMap((event) => event.readings.map((r) => r.value))).toEqual([111]);
    });
  });

  describe('fan-out', () => {
    it('a client of instance B receives the reading and status flips ingested through instance A', async () => {
      const org = await tenant(a);
      const client = await connect(portB, org.viewer.token);
      for (const room of [
        { kind: 'meter', id: org.meter.id },
        { kind: 'site', id: org.site.id },
        { kind: 'organization' },
      ] as RoomRef[]) {
        expect(await subscribe(client, room)).toMatchObject({ ok: true });
      }
      const ts = secondsAgo(5);
      const readingEventsOf = (t: TestApp) =>
        t.app.get(RealtimeMetrics).snapshot().eventsSent[RealtimeEvent.ReadingReceived] ?? 0;
      const sentByA = readingEventsOf(a);
      await ingest(a, org, [
        { meter_id: org.meter.id, parameter: 'voltage_v', value: 231.5, unit: 'V', timestamp: ts },
      ]);
      await waitFor(async () => (client.readings.length >= 3 ? true : undefined), 10000);
      // A stored the readings but holds no socket of the organization: it sent no room anything.
      expect(readingEventsOf(a)).toBe(sentByA);
      const expected = {
        meterId: org.meter.id,
        siteId: org.site.id,
        parameter: 'voltage_v',
        ts,
        value: 231.5,
        unit: 'V',
        quality: 'good',
      };
      expect(
        client.readings.map((event) => [event.room.kind, event.organizationId, event.readings]),
      ).toEqual(
        expect.arrayContaining([
          ['meter', org.org.id, [expected]],
          ['site', org.org.id, [expected]],
          ['organization', org.org.id, [expected]],
        ]),
      );

      // Traffic brought the meter (offline) and the gateway (unknown) online; a socket in three
      // rooms of the organization still gets each flip once.
      await waitFor(async () => (client.gatewayStatus.length > 0 ? true : undefined), 10000);
      await sleep(300);
      expect(client.deviceStatus).toEqual([
        {
          organizationId: org.org.id,
          meterId: org.meter.id,
          siteId: org.site.id,
          gatewayId: org.gateway.id,
          from: 'offline',
          to: 'online',
          reason: null,
          at: expect.any(String),
        },
      ]);
      expect(client.gatewayStatus).toEqual([
        {
          organizationId: org.org.id,
          gatewayId: org.gateway.id,
          siteId: org.site.id,
          from: 'unknown',
          to: 'online',
          at: expect.any(String),
        },
      ]);
    });

    it('a status change made through instance B reaches a client of instance A, and is counted', async () => {
      const org = await tenant(a);
      const operator = await a.factory.user(org.org, 'operator');
      const client = await connect(portA, org.viewer.token);
      expect(await subscribe(client, { kind: 'site', id: org.site.id })).toMatchObject({
        ok: true,
      });
      await b.http
        .post(`/api/v1/meters/${org.meter.id}/status`)
        .set('Authorization', operator.auth)
        .send({ status: 'maintenance', reason: 'new CT clamps' })
        .expect(200);
      await waitFor(async () => (client.deviceStatus.length > 0 ? true : undefined), 10000);
      expect(client.deviceStatus).toEqual([
        expect.objectContaining({
          meterId: org.meter.id,
          from: 'offline',
          to: 'maintenance',
          reason: 'new CT clamps',
        }),
      ]);

      const metrics = await b.http
        .get('/api/v1/realtime/metrics')
        .set('Authorization', org.viewer.auth)
        .expect(200);
      expect(metrics.body).toEqual({
        instance: expect.any(String),
        connectedClients: expect.any(Number),
        connectionsRefused: expect.any(Number),
        subscriptionsRefused: expect.any(Number),
        eventsSent: expect.objectContaining({ 'device.status_changed': expect.any(Number) }),
      });
      expect(metrics.body.connectionsRefused).toBeGreaterThanOrEqual(4);
      const onA = await a.http
        .get('/api/v1/realtime/metrics')
        .set('Authorization', org.viewer.auth)
        .expect(200);
      expect(onA.body.connectedClients).toBeGreaterThanOrEqual(1);

      const support = await a.factory.user(org.org, 'support');
      await a.http.get('/api/v1/realtime/metrics').set('Authorization', support.auth).expect(403);
    });
  });

  describe('coalescing', () => {
    it('a burst of 100 readings for one meter arrives as one event with the latest value per parameter', async () => {
      const org = await tenant(a);
      const client = await connect(portB, org.viewer.token);
      expect(await subscribe(client, { kind: 'meter', id: org.meter.id })).toMatchObject({
        ok: true,
      });
      const burst = Array.from({ length: 100 }, (_, i) => ({
        meter_id: org.meter.id,
        parameter: i % 2 === 0 ? 'power_w' : 'current_a',
        value: i,
        unit: i % 2 === 0 ? 'W' : 'A',
        timestamp: secondsAgo(200 - i),
      }));
      // Arrival order is not reading order: the newest of each parameter sits mid-batch.
      const newest = burst.splice(98, 2);
      burst.splice(40, 0, ...newest);
      await ingest(a, org, burst);
      await waitFor(async () => (client.readings.length > 0 ? true : undefined), 10000);
      await sleep(1000);
      expect(client.readings).toHaveLength(1);
      const [event] = client.readings;
      expect(event?.room).toEqual({ kind: 'meter', id: org.meter.id });
      expect(
        [...(event?.readings ?? [])]
          .sort((x, y) => x.parameter.localeCompare(y.parameter))
          .map((reading) => [reading.parameter, reading.value, reading.ts]),
      ).toEqual([
        ['current_a', 99, newest[1]?.timestamp],
        ['power_w', 98, newest[0]?.timestamp],
      ]);
    });

    it('a repeat of a stored reading is not news: only the new reading of a mixed batch is sent', async () => {
      const org = await tenant(a);
      const client = await connect(portB, org.viewer.token);
      expect(await subscribe(client, { kind: 'meter', id: org.meter.id })).toMatchObject({
        ok: true,
      });
      const stored = {
        meter_id: org.meter.id,
        parameter: 'power_w',
        value: 1,
        unit: 'W',
        timestamp: secondsAgo(60),
      };
      await ingest(a, org, [stored]);
      await waitFor(async () => (client.readings.length > 0 ? true : undefined), 10000);
      client.readings.length = 0;
      const fresh = {
        meter_id: org.meter.id,
        parameter: 'voltage_v',
        value: 231,
        unit: 'V',
        timestamp: secondsAgo(90),
      };
      await ingest(a, org, [{ ...stored, value: 2 }, fresh]);
      await waitFor(async () => (client.readings.length > 0 ? true : undefined), 10000);
      await sleep(700);
      const sent = client.readings.flatMap((event) =>
        event.readings.map((reading) => [reading.parameter, reading.value]),
      );
      expect(sent).toEqual([['voltage_v', 231]]);
    });
  });
});
