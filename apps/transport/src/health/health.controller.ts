import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { probe, REDIS } from '@gridwatch/server';
import { MqttConnectionService } from '../mqtt/mqtt-connection.service';

type State = 'up' | 'down';

/** GET /health on the transport's own port: 200 when broker, database and Redis are reachable. */
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly mqtt: MqttConnectionService,
  ) {}

  @Get()
  async check(): Promise<{
    status: 'ok' | 'degraded';
    mqtt: State;
    database: State;
    redis: State;
  }> {
    const [database, redis] = await Promise.all([
      probe(() => this.db.query('SELECT 1')),
      probe(() => this.redis.ping()),
    ]);
    const mqtt: State = this.mqtt.connected ? 'up' : 'down';
    const ok = database === 'up' && redis === 'up' && mqtt === 'up';
    const health = { status: ok ? ('ok' as const) : ('degraded' as const), mqtt, database, redis };
    if (!ok) throw new ServiceUnavailableException(health);
    return health;
  }
}
