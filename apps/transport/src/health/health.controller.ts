import { Controller, Get } from '@nestjs/common';
import { DependencyHealth } from '@gridwatch/server';
import { MqttConnectionService } from '../mqtt/mqtt-connection.service';

/**
 * The transport's own port: `/health/live`, `/health/ready` (database, Redis and the broker,
 * 503 naming what is down) and `/health`, readiness under its original path.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: DependencyHealth,
    private readonly mqtt: MqttConnectionService,
  ) {}

  @Get('live')
  live() {
    return this.health.live();
  }

  @Get('ready')
  ready() {
    return this.check();
  }

  @Get()
  check() {
    return this.health.ready([
      this.health.flag('broker', () => this.mqtt.connected, 'not connected and subscribed'),
    ]);
  }
}
