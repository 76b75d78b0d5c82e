/**
 * MQTT load: one MQTT 5 connection per gateway publishing signed batches (body as the payload,
 * `timestamp` / `signature` user properties) on gridwatch/gateways/{serial}/readings with QoS 1,
 * at most `inflight` unacknowledged (PUBACK) messages per connection, as fast as the broker
 * acknowledges, for a fixed time. What the transport stores is counted from the database.
 */
import { connectAsync, type MqttClient } from 'mqtt';
import { MQTT_QOS, MqttTopic, MqttUserProperty } from '@gridwatch/contracts';
import { signBody } from '../simulators/device-auth';
import type { ManifestGateway } from '../simulators/manifest';
import type { ReadingSource } from './readings';

export interface MqttLoadReport {
  published: number;
  messages: number;
  failed: number;
  problems: Map<string, number>;
}

export async function runMqttLoad(
  brokerUrl: string,
  runId: string,
  gateways: ManifestGateway[],
  source: ReadingSource,
  inflight: number,
  untilMs: number,
): Promise<MqttLoadReport> {
  const report: MqttLoadReport = { published: 0, messages: 0, failed: 0, problems: new Map() };
  const clients = new Map<string, MqttClient>();
  try {
    for (const [index, gateway] of gateways.entries()) {
      clients.set(
        gateway.serialNumber,
        await connectAsync(brokerUrl, {
          protocolVersion: 5,
          clientId: `${runId}-gw-${index}`,
          clean: true,
          reconnectPeriod: 1000,
          connectTimeout: 10_000,
        }),
      );
    }
    const publisher = async (): Promise<void> => {
      while (performance.now() < untilMs) {
        const { gateway, batch } = source.next();
        const client = clients.get(gateway.serialNumber) as MqttClient;
        const body = JSON.stringify(batch);
        const timestamp = Math.floor(Date.now() / 1000);
        try {
          await client.publishAsync(
            MqttTopic.GatewayReadings.replace('{serial}', gateway.serialNumber),
            body,
            {
              qos: MQTT_QOS,
              properties: {
                userProperties: {
                  [MqttUserProperty.Timestamp]: String(timestamp),
                  [MqttUserProperty.Signature]: signBody(gateway.secret, timestamp, body),
                },
              },
            },
          );
          report.published += batch.readings.length;
          report.messages += 1;
        } catch (error) {
          report.failed += batch.readings.length;
          const problem = (error as Error).message;
          report.problems.set(problem, (report.problems.get(problem) ?? 0) + 1);
        }
      }
    };
    await Promise.all(Array.from({ length: inflight * gateways.length }, publisher));
  } finally {
    await Promise.all(
      [...clients.values()].map((client) => client.endAsync().catch(() => undefined)),
    );
  }
  return report;
}
