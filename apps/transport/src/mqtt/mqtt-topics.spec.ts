import { routeOf, sharedFilter, TopicKind } from './mqtt-topics';

describe('routeOf', () => {
  it.each([
    ['gridwatch/gateways/GW-1/readings', TopicKind.GatewayReadings, 'GW-1'],
    ['gridwatch/gateways/GW-1/status', TopicKind.GatewayStatus, 'GW-1'],
    [
      'gridwatch/meters/0d5c2a4e-8a43-4c7e-9d39-1b8f0f3f1d2a/readings',
      TopicKind.MeterReadings,
      '0d5c2a4e-8a43-4c7e-9d39-1b8f0f3f1d2a',
    ],
  ])('names the kind and the device of %s', (topic, kind, deviceId) => {
    expect(routeOf(topic)).toEqual({ kind, deviceId });
  });

  it.each([
    'gridwatch/gateways//readings',
    'gridwatch/gateways/GW-1/readings/extra',
    'gridwatch/meters/M-1/status',
    'gridwatch/transport/t1/status',
    'other/gateways/GW-1/readings',
  ])('answers null for %s', (topic) => {
    expect(routeOf(topic)).toBeNull();
  });
});

describe('sharedFilter', () => {
  it('prefixes the share group', () => {
    expect(sharedFilter('gridwatch', 'gridwatch/gateways/+/readings')).toBe(
      '$share/gridwatch/gridwatch/gateways/+/readings',
    );
  });

  it('leaves the filter plain without a group (MQTT_SHARE_GROUP=none)', () => {
    expect(sharedFilter(null, 'gridwatch/gateways/+/readings')).toBe(
      'gridwatch/gateways/+/readings',
    );
  });
});
