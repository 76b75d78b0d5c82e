import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import type { RealtimeMetricsView } from '@gridwatch/contracts';
import { Metrics } from '@gridwatch/server';

/** Counters of this API instance since it started (each replica counts its own). */
@Injectable()
export class RealtimeMetrics {
  private readonly instance = `${hostname()}:${process.pid}`;
  private connectedClients = 0;
  private connectionsRefused = 0;
  private subscriptionsRefused = 0;
  private readonly eventsSent = new Map<string, number>();

  constructor(metrics: Metrics) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- prom-client binds `this` in collect to the gauge
    const realtime = this;
    metrics.gauge(
      'gridwatch_websocket_clients',
      'socket.io clients connected to this instance.',
      [],
      function collect() {
        this.set(realtime.connectedClients);
      },
    );
  }

  connected(): void {
    this.connectedClients += 1;
  }

  disconnected(): void {
    this.connectedClients -= 1;
  }

  connectionRefused(): void {
    this.connectionsRefused += 1;
  }

  subscriptionRefused(): void {
    this.subscriptionsRefused += 1;
  }

  sent(type: string): void {
    this.eventsSent.set(type, (this.eventsSent.get(type) ?? 0) + 1);
  }

  snapshot(): RealtimeMetricsView {
    return {
      instance: this.instance,
      connectedClients: this.connectedClients,
      connectionsRefused: this.connectionsRefused,
      subscriptionsRefused: this.subscriptionsRefused,
      eventsSent: Object.fromEntries(this.eventsSent),
    };
  }
}
