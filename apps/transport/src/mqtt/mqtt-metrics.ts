import { Injectable } from '@nestjs/common';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { Metrics } from '@gridwatch/server';

/** Why a device message was dropped: the `reason` label of the rejected counter. */
export const RejectReason = {
  Oversize: 'oversize',
  Malformed: 'malformed',
  UnknownTopic: 'unknown_topic',
  WrongTopic: 'wrong_topic',
  BadSignature: 'bad_signature',
  StaleTimestamp: 'stale_timestamp',
  Replayed: 'replayed',
  InvalidPayload: 'invalid_payload',
  TooDeep: 'too_deep',
  InternalError: 'internal_error',
} as const;
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

/** The MQTT adapter's series in the transport's one registry (GET /metrics). */
@Injectable()
export class MqttMetrics {
  readonly received: Counter<string>;
  readonly accepted: Counter<string>;
  readonly rejected: Counter<string>;
  readonly duplicates: Counter<string>;
  readonly redelivered: Counter<string>;
  readonly readings: Counter<string>;
  readonly connected: Gauge<string>;
  readonly connects: Counter<string>;
  readonly handling: Histogram<string>;

  constructor(registry: Metrics) {
    this.received = registry.counter(
      'gridwatch_mqtt_messages_received_total',
      'Device messages received, by topic kind.',
      ['kind'],
    );
    this.accepted = registry.counter(
      'gridwatch_mqtt_messages_accepted_total',
      'Device messages enqueued (readings) or applied (status), by topic kind.',
      ['kind'],
    );
    this.rejected = registry.counter(
      'gridwatch_mqtt_messages_rejected_total',
      'Device messages dropped, by reason.',
      ['reason'],
    );
    this.duplicates = registry.counter(
      'gridwatch_mqtt_messages_duplicate_total',
      'Copies of an already accepted message (QoS 1 redelivery), acknowledged and dropped.',
    );
    this.redelivered = registry.counter(
      'gridwatch_mqtt_messages_unacked_total',
      'Messages left unacknowledged after a transient failure, for the broker to redeliver.',
    );
    this.readings = registry.counter(
      'gridwatch_mqtt_readings_total',
      'Readings in accepted messages, by outcome (accepted, or rejected item by item).',
      ['outcome'],
    );
    this.connected = registry.gauge(
      'gridwatch_mqtt_connected',
      '1 while connected to the broker with the device subscriptions in place.',
    );
    this.connects = registry.counter(
      'gridwatch_mqtt_connects_total',
      'Broker connections, by whether the broker still had the session (resumed) or not (new).',
      ['session'],
    );
    this.handling = registry.histogram(
      'gridwatch_mqtt_message_seconds',
      'Time to authenticate, validate and enqueue one message.',
      [],
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    );
    this.connected.set({}, 0);
  }
}
