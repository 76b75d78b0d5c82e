import type Redis from 'ioredis';
import type { AppConfig } from '../config/app-config';
import {
  decodeStoredReadings,
  encodeStoredReadings,
  organizationOfStoredReadings,
  parseRealtimeBridgeMessage,
  realtimeBridgeChannel,
  RealtimeBridgePublisher,
  realtimeReadingsChannel,
} from './realtime-bridge';

const ORG = '0b6c5a2e-3f43-4c1e-9a4f-2f9d7d1b6a10';
const GATEWAY = '1c7d6b3f-4a54-4d2f-8b5a-3a0e8e2c7b21';
const SITE = '2d8e7c4a-5b65-4e3a-9c6b-4b1f9f3d8c32';

const payload = {
  organizationId: ORG,
  gatewayId: GATEWAY,
  siteId: SITE,
  from: 'online',
  to: 'offline',
  at: '2026-03-01T10:00:00.000Z',
};
const message = (override: object = {}) =>
  JSON.stringify({ event: 'gateway.status_changed', payload: { ...payload, ...override } });

describe('realtime bridge', () => {
  it('names one channel per queue prefix', () => {
    expect(realtimeBridgeChannel('gridwatch')).toBe('gridwatch:realtime:bridge');
  });

  it('takes a complete gateway status change and keeps only its known fields', () => {
    expect(
      parseRealtimeBridgeMessage(message({ extra: 'dropped', gatewayId: GATEWAY.toUpperCase() })),
    ).toEqual({ event: 'gateway.status_changed', payload });
  });

  it.each([
    ['not JSON', '{'],
    ['JSON that is no object', '"gateway.status_changed"'],
    ['an unknown event', JSON.stringify({ event: 'reading.received', payload })],
    ['no payload', JSON.stringify({ event: 'gateway.status_changed' })],
    ['a payload without organization', message({ organizationId: undefined })],
    ['an organization that is not a UUID', message({ organizationId: `${ORG}:x` })],
    ['a numeric site', message({ siteId: 42 })],
    ['an unknown status', message({ to: 'exploded' })],
    ['a time that is no time', message({ at: 'yesterday' })],
  ])('ignores %s', (_what, raw) => {
    expect(parseRealtimeBridgeMessage(raw)).toBeNull();
  });

  it('publishes a status change on the channel, and a Redis failure never reaches the caller', async () => {
    const published: Array<[string, string]> = [];
    let fail = false;
    const redis = {
      publish: jest.fn(async (channel: string, text: string) => {
        if (fail) throw new Error('Connection is closed.');
        published.push([channel, text]);
        return 1;
      }),
    } as unknown as Redis;
    const bridge = new RealtimeBridgePublisher(redis, { queuePrefix: 'gw' } as AppConfig);
    const change = {
      organizationId: ORG,
      gatewayId: GATEWAY,
      siteId: SITE,
      from: 'unknown',
      to: 'online',
    };

    bridge.gatewayStatusChanged(change);
    expect(published).toHaveLength(1);
    const [channel, text] = published[0] ?? [];
    expect(channel).toBe('gw:realtime:bridge');
    expect(parseRealtimeBridgeMessage(text ?? '')).toEqual({
      event: 'gateway.status_changed',
      payload: { ...change, at: expect.any(String) },
    });

    fail = true;
    expect(() => bridge.gatewayStatusChanged(change)).not.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
    bridge.gatewayStatusChanged({ ...change, to: 'not-a-status' });
    expect(redis.publish).toHaveBeenCalledTimes(2);
  });

  it('carries stored readings with their organization up front, and drops what is not a reading', () => {
    const reading = { m: GATEWAY, p: 'power_w', t: 1_700_000_000_000, v: 12.5, u: 'W', q: 'good' };
    const text = encodeStoredReadings(ORG, [reading as never]);
    expect(realtimeReadingsChannel('gw')).toBe('gw:realtime:readings');
    expect(organizationOfStoredReadings(text)).toBe(ORG);
    expect(decodeStoredReadings(text)).toEqual({ organizationId: ORG, readings: [reading] });
    const mixed = `${ORG}|${JSON.stringify([reading, { ...reading, m: 'x' }, { ...reading, t: '1' }, 7])}`;
    expect(decodeStoredReadings(mixed)?.readings).toEqual([reading]);
    expect(organizationOfStoredReadings(`not-an-organization|[]`)).toBeNull();
    expect(decodeStoredReadings(`${ORG}|{"m":`)).toBeNull();
    expect(decodeStoredReadings(`${ORG}|{}`)).toBeNull();
    expect(decodeStoredReadings('')).toBeNull();
  });
});
