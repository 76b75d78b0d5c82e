import { Module } from '@nestjs/common';
import {
  ConfigModule,
  LifecycleModule,
  LoggingModule,
  DatabaseModule,
  DependencyHealthModule,
  RedisModule,
} from '@gridwatch/server';
import { HealthController } from './health/health.controller';
import { MetricsModule } from './metrics/metrics.module';
import { ModbusModule } from './modbus/modbus.module';
import { MqttModule } from './mqtt/mqtt.module';

@Module({
  imports: [
    ConfigModule,
    LifecycleModule,
    LoggingModule,
    DatabaseModule,
    RedisModule,
    DependencyHealthModule,
    MetricsModule,
    MqttModule,
    ModbusModule,
  ],
  controllers: [HealthController],
})
export class TransportModule {}
