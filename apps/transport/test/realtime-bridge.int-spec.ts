import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import {
  MetricsModule,
  APP_CONFIG,
  AppConfig,
  ConfigModule,
  DatabaseModule,
  parseRealtimeBridgeMessage,
  RealtimeBridgeModule,
  realtimeBridgeChannel,
  RedisModule,
  type RealtimeBridgeMessage,
} from '@gridwatch/server';
import { GatewayStatusWriter, IngestModule } from '@gridwatch/ingest';
import { GatewayStatusService as MqttGatewayStatus } from '../src/mqtt/gateway-status.service';
import { ModbusFixtures } from './support/modbus-fixtures';

/*
 * Gateway status flips made by the transport reach browsers through the API: each one is
 * published on the realtime bridge channel (Redis pub/sub), which the API's realtime module
 * forwards to socket.io rooms. Here a plain Redis subscriber stands in for the API.
 */
describe('realtime bridge (transport side)', () => {
  let app: INestApplication;
  let db: DataSource;
  let listener: Redis;
  const received: RealtimeBridgeMessage[] = [];

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule,
        DatabaseModule,
        RedisModule,
        MetricsModule.forRoot('own'),
        IngestModule,
        RealtimeBridgeModule,
      ],
      providers: [MqttGatewayStatus],
    }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    await app.init();
    db = app.get<DataSource>(getDataSourceToken());
    const config = app.get<AppConfig>(APP_CONFIG);
    listener = new Redis(config.redisUrl, { lazyConnect: true });
    await listener.connect();
    listener.on('message', (_channel: string, text: string) => {
      const message = parseRealtimeBridgeMessage(text);
      if (message) received.push(message);
    });
    await listener.subscribe(realtimeBridgeChannel(config.queuePrefix));
  });

  afterAll(async () => {
    listener?.disconnect();
    await app?.close();
  });

  async function waitForMessages(count: number): Promise<RealtimeBridgeMessage[]> {
    const deadline = Date.now() + 5000;
    while (received.length < count && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return received.splice(0);
  }

  it('publishes the MQTT heartbeat and last-will flips, and nothing when the status stays', async () => {
    const fixtures = new ModbusFixtures(db);
    const site = await fixtures.site();
    const gateway = await fixtures.gateway(site, 0, { protocol: 'mqtt', host: null, port: null });
    const mqtt = app.get(MqttGatewayStatus);

    const signedAt = String(Math.floor(Date.now() / 1000));
    await mqtt.apply(gateway, { status: 'online' }, signedAt);
    await mqtt.apply(gateway, { status: 'online' }, signedAt); // no flip: nothing published
    await mqtt.apply(gateway, { status: 'offline' }, signedAt);

    const base = {
      organizationId: site.organizationId,
      gatewayId: gateway.id,
      siteId: site.id,
      at: expect.any(String),
    };
    expect(await waitForMessages(2)).toEqual([
      { event: 'gateway.status_changed', payload: { ...base, from: 'unknown', to: 'online' } },
      { event: 'gateway.status_changed', payload: { ...base, from: 'online', to: 'offline' } },
    ]);
  });

  it('publishes the Modbus breaker flips made through the shared writer', async () => {
    const fixtures = new ModbusFixtures(db);
    const site = await fixtures.site();
    const gateway = await fixtures.gateway(site, 1502, { status: 'online' });
    const writer = app.get(GatewayStatusWriter);
    const set = async (status: 'online' | 'degraded' | 'offline', reason: string) =>
      (await writer.write(gateway.id, { status, source: 'modbus', reason }))?.from ?? null;

    expect(await set('offline', 'circuit breaker open')).toBe('online');
    expect(await set('degraded', 'unreachable')).toBeNull(); // degraded never hides offline
    expect(await set('online', 'answered')).toBe('offline');
    const events: Array<{ type: string; data: Record<string, unknown> }> = await db.query(
      `SELECT type, data FROM events WHERE subject_id = $1 ORDER BY occurred_at`,
      [gateway.id],
    );
    expect(events).toEqual([
      {
        type: 'device.offline',
        data: { from: 'online', to: 'offline', source: 'modbus', reason: 'circuit breaker open' },
      },
      {
        type: 'device.online',
        data: { from: 'offline', to: 'online', source: 'modbus', reason: 'answered' },
      },
    ]);
    await fixtures.retire();

    expect((await waitForMessages(2)).map((message) => message.payload)).toEqual([
      expect.objectContaining({
        gatewayId: gateway.id,
        siteId: site.id,
        from: 'online',
        to: 'offline',
      }),
      expect.objectContaining({
        gatewayId: gateway.id,
        siteId: site.id,
        from: 'offline',
        to: 'online',
      }),
    ]);
  });
});
