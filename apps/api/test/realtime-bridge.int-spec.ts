import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { io, type Socket } from 'socket.io-client';
import type { GatewayStatusChangedEvent, RoomRef, SubscriptionAck } from '@gridwatch/contracts';
import {
  APP_CONFIG,
  type AppConfig,
  type GatewayEntity,
  type OrganizationEntity,
  type SiteEntity,
} from '@gridwatch/server';
import { RealtimeBridgeSubscriber } from '../src/modules/realtime/realtime-bridge.subscriber';
import type { TestUser } from './support/factory';
import { createTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';

interface Tenant {
  org: OrganizationEntity;
  site: SiteEntity;
  gateway: GatewayEntity;
  viewer: TestUser;
}

interface Client {
  socket: Socket;
  gatewayStatus: GatewayStatusChangedEvent[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/*
 * The transport has no socket.io server: its gateway status flips come to the API on the realtime
 * bridge channel (Redis pub/sub). A plain Redis client publishes here as the transport does.
 * Two API instances both receive each message; each delivers it to its own sockets only.
 */
describe('Realtime bridge', () => {
  let a: TestApp;
  let b: TestApp;
  let portA: number;
  let portB: number;
  let channel: string;
  let transport: Redis;
  let first: Tenant;
  let second: Tenant;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    // No ingest worker here: this run's other test files process the shared queue's jobs.
    a = await createTestApp({ PROCESS_MODE: 'api' });
    b = await createTestApp({ PROCESS_MODE: 'api' });
    portA = await listen(a);
    portB = await listen(b);
    await Promise.all([a, b].map((t) => t.app.get(RealtimeBridgeSubscriber).ready()));
    const config = a.app.get<AppConfig>(APP_CONFIG);
    channel = `${config.queuePrefix}:realtime:bridge`;
    transport = new Redis(config.redisUrl);
    first = await tenant();
    second = await tenant();
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    transport?.disconnect();
    await Promise.all([a?.close(), b?.close()]);
  });

  async function listen(t: TestApp): Promise<number> {
    await t.app.listen(0, '127.0.0.1');
    return (t.app.getHttpServer().address() as AddressInfo).port;
  }

  async function tenant(): Promise<Tenant> {
    const org = await a.factory.organization();
    const site = await a.factory.site(org);
    const gateway = await a.factory.gateway(site);
    const viewer = await a.factory.user(org, 'viewer');
    return { org, site, gateway, viewer };
  }

  /** A socket of `port`, subscribed to its organization's room (and `rooms`). */
  async function connect(port: number, owner: Tenant, rooms: RoomRef[] = []): Promise<Client> {
    const socket = io(`http://127.0.0.1:${port}/realtime`, {
      auth: { token: owner.viewer.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    const client: Client = { socket, gatewayStatus: [] };
    socket.on('gateway.status_changed', (event: GatewayStatusChangedEvent) =>
      client.gatewayStatus.push(event),
    );
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    for (const room of [{ kind: 'organization' } as RoomRef, ...rooms]) {
      const ack = (await socket.timeout(5000).emitWithAck('subscribe', room)) as SubscriptionAck;
      expect(ack).toMatchObject({ ok: true });
    }
    return client;
  }

  function statusChange(owner: Tenant, to: GatewayStatusChangedEvent['to'] = 'offline') {
    return {
      organizationId: owner.org.id,
      gatewayId: owner.gateway.id,
      siteId: owner.site.id,
      from: 'online' as const,
      to,
      at: new Date().toISOString(),
    };
  }

  function publish(message: unknown): Promise<number> {
    return transport.publish(
      channel,
      typeof message === 'string' ? message : JSON.stringify(message),
    );
  }

  it("delivers a transport's gateway status change to its organization's sockets on every instance, once each", async () => {
    const onA = await connect(portA, first, [{ kind: 'site', id: first.site.id }]);
    const onB = await connect(portB, first);
    const change = statusChange(first);

    await publish({ event: 'gateway.status_changed', payload: change });

    await waitFor(async () => (onA.gatewayStatus.length > 0 ? true : undefined), 10000);
    await waitFor(async () => (onB.gatewayStatus.length > 0 ? true : undefined), 10000);
    await sleep(300);
    // In two rooms of the organization, and reached through two instances: still once.
    expect(onA.gatewayStatus).toEqual([change]);
    expect(onB.gatewayStatus).toEqual([change]);
  });

  it("never sends organization B's change to A's socket, and ignores malformed messages", async () => {
    const viewerA = await connect(portB, first);
    const viewerB = await connect(portB, second);

    // Other organizations' changes, and messages that are not a valid bridged event.
    await publish({ event: 'gateway.status_changed', payload: statusChange(second, 'degraded') });
    await publish('{not json');
    await publish({
      event: 'gateway.status_changed',
      payload: { ...statusChange(first), to: 'x' },
    });
    await publish({ event: 'gateway.status_changed', payload: { organizationId: first.org.id } });
    await publish({ event: 'device.status_changed', payload: statusChange(first) });
    await publish(statusChange(first)); // a bare payload, without its event name
    // Then A's own, which must arrive alone.
    const own = statusChange(first, 'online');
    await publish({ event: 'gateway.status_changed', payload: own });

    await waitFor(async () => (viewerB.gatewayStatus.length > 0 ? true : undefined), 10000);
    await waitFor(async () => (viewerA.gatewayStatus.length > 0 ? true : undefined), 10000);
    await sleep(300);
    expect(viewerA.gatewayStatus).toEqual([own]);
    expect(JSON.stringify(viewerA.gatewayStatus)).not.toContain(second.org.id);
    expect(viewerB.gatewayStatus).toEqual([
      expect.objectContaining({ organizationId: second.org.id, to: 'degraded' }),
    ]);
  });

  it('subscribes again after its Redis connection is killed', async () => {
    const viewer = await connect(portA, first);
    const bridge = a.app.get(RealtimeBridgeSubscriber) as unknown as { subscriber: Redis };
    const port = (bridge.subscriber as unknown as { stream: { localPort: number } }).stream
      .localPort;
    const clients = (await transport.client('LIST')) as string;
    const line = clients.split('\n').find((entry) => entry.includes(`:${port} `));
    const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
    expect(id).toBeDefined();
    expect(await transport.client('KILL', 'ID', id as string)).toBe(1);

    // Until the subscriber is back, messages are lost (browsers poll then): publish until one lands.
    const change = statusChange(first, 'degraded');
    await waitFor(
      async () => {
        if (viewer.gatewayStatus.length > 0) return true;
        await publish({ event: 'gateway.status_changed', payload: change });
        await sleep(200);
        return undefined;
      },
      15000,
      'the bridge to resubscribe',
    );
    expect(viewer.gatewayStatus[0]).toEqual(change);
  });
});
