import { MQTT_TOPICS, mqttTopicFilter } from '@gridwatch/contracts';

/** The subscription filters of the device-facing topics (libs/contracts); `+` is the device's id. */
export const DEVICE_TOPICS = MQTT_TOPICS.map(mqttTopicFilter);

export const TopicKind = {
  GatewayReadings: 'gateway_readings',
  GatewayStatus: 'gateway_status',
  MeterReadings: 'meter_readings',
} as const;
export type TopicKind = (typeof TopicKind)[keyof typeof TopicKind];

/** What a topic says: which kind of message, and the device (serial or meter UUID) it belongs to. */
export interface TopicRoute {
  kind: TopicKind;
  deviceId: string;
}

/** The route of a device topic, or null for anything else. */
export function routeOf(topic: string): TopicRoute | null {
  const [root, collection, deviceId, leaf, ...rest] = topic.split('/');
  if (root !== 'gridwatch' || !deviceId || rest.length > 0) return null;
  if (collection === 'gateways' && leaf === 'readings')
    return { kind: TopicKind.GatewayReadings, deviceId };
  if (collection === 'gateways' && leaf === 'status')
    return { kind: TopicKind.GatewayStatus, deviceId };
  if (collection === 'meters' && leaf === 'readings')
    return { kind: TopicKind.MeterReadings, deviceId };
  return null;
}

/**
 * `$share/<group>/<filter>`: the broker hands each message to one member of the group. Without a
 * group (MQTT_SHARE_GROUP=none, one instance) the plain filter, which survives a broker restart.
 */
export function sharedFilter(group: string | null, filter: string): string {
  return group === null ? filter : `$share/${group}/${filter}`;
}

/** Where a transport instance publishes its own retained status (and its last will). */
export function transportStatusTopic(instanceId: string): string {
  return `gridwatch/transport/${instanceId}/status`;
}
