import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { connect, type MqttClient } from 'mqtt';
import { APP_CONFIG, AppConfig } from '@gridwatch/server';

/** The transport's broker connection: stable client id, retained status, last will "offline". */
@Injectable()
export class MqttConnectionService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('MQTT');
  private client?: MqttClient;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get instanceId(): string {
    return this.config.transportInstanceId;
  }

  get statusTopic(): string {
    return `gridwatch/transport/${this.instanceId}/status`;
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  onModuleInit(): void {
    const offline = JSON.stringify({ status: 'offline', instance: this.instanceId });
    this.client = connect(this.config.mqttUrl, {
      clientId: `gridwatch-transport-${this.instanceId}`,
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
      will: { topic: this.statusTopic, payload: Buffer.from(offline), qos: 1, retain: true },
    });
    this.client.on('connect', () => {
      this.logger.log(`Connected to ${this.config.mqttUrl}`);
      this.publishStatus('online');
    });
    this.client.on('reconnect', () => this.logger.warn('Reconnecting to the broker'));
    // mqtt.js emits errors on connection failures; logging them keeps the process alive.
    this.client.on('error', (error) => this.logger.warn(error.message));
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.client) return;
    if (this.client.connected) await this.publishStatus('offline');
    await this.client.endAsync();
  }

  private async publishStatus(status: 'online' | 'offline'): Promise<void> {
    const payload = JSON.stringify({ status, instance: this.instanceId, at: new Date().toISOString() });
    await this.client
      ?.publishAsync(this.statusTopic, payload, { qos: 1, retain: true })
      .catch((error: Error) => this.logger.warn(`Status publish failed: ${error.message}`));
  }
}
