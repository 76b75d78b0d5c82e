import { MQTT_TOPICS, mqttTopicFilter } from './mqtt';

describe('MQTT topics', () => {
  it('subscribe with the device segment as a single-level wildcard', () => {
    expect(MQTT_TOPICS.map(mqttTopicFilter)).toEqual([
      'gridwatch/gateways/+/readings',
      'gridwatch/gateways/+/status',
      'gridwatch/meters/+/readings',
    ]);
  });
});
