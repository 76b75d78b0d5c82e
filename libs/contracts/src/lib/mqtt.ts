/**
 * The device-facing MQTT topics (DESIGN.md, "Wire contracts: MQTT"): the `{...}` segment names the
 * device whose secret must sign the message. The AsyncAPI document is built from these.
 */
export const MqttTopic = {
  GatewayReadings: 'gridwatch/gateways/{serial}/readings',
  GatewayStatus: 'gridwatch/gateways/{serial}/status',
  MeterReadings: 'gridwatch/meters/{uuid}/readings',
} as const;
export type MqttTopic = (typeof MqttTopic)[keyof typeof MqttTopic];
export const MQTT_TOPICS: readonly MqttTopic[] = Object.values(MqttTopic);

/** Devices publish, and the transport subscribes, at least once. */
export const MQTT_QOS = 1;

/** MQTT 5 user properties of a signed message; MQTT 3.1.1 clients put them in the envelope. */
export const MqttUserProperty = { Timestamp: 'timestamp', Signature: 'signature' } as const;

/** The subscription filter of a topic: its device segment becomes `+`. */
export function mqttTopicFilter(topic: MqttTopic): string {
  return topic.replace(/\{\w+\}/, '+');
}
