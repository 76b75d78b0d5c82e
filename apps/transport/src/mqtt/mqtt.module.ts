import { Module } from '@nestjs/common';
import { IngestModule } from '@gridwatch/ingest';
import { GatewayStatusService } from './gateway-status.service';
import { MqttConnectionService } from './mqtt-connection.service';
import { MqttIngestService } from './mqtt-ingest.service';
import { MqttMetrics } from './mqtt-metrics';
import { RejectionReporter } from './rejection-reporter.service';

/** The MQTT adapter: device topics in through shared subscriptions, into the ingest pipeline. */
@Module({
  imports: [IngestModule],
  providers: [
    MqttConnectionService,
    MqttIngestService,
    GatewayStatusService,
    RejectionReporter,
    MqttMetrics,
  ],
  exports: [MqttConnectionService],
})
export class MqttModule {}
