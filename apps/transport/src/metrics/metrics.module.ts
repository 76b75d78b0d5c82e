import { Module } from '@nestjs/common';
import { MetricsModule as PrometheusModule } from '@gridwatch/server';
import { MetricsController } from './metrics.controller';

/**
 * The transport's prom-client registry, its own per application (several transports in one test
 * process each count their own), served at GET /metrics on the transport's loopback port.
 */
@Module({
  imports: [PrometheusModule.forRoot('own')],
  controllers: [MetricsController],
})
export class MetricsModule {}
