import { Module } from '@nestjs/common';
import { ConfigModule, DatabaseModule, RedisModule } from '@gridwatch/server';
import { HealthController } from './health/health.controller';
import { MetricsModule } from './metrics/metrics.module';
import { MqttConnectionService } from './mqtt/mqtt-connection.service';

@Module({
  imports: [ConfigModule, DatabaseModule, RedisModule, MetricsModule],
  controllers: [HealthController],
  providers: [MqttConnectionService],
})
export class TransportModule {}
