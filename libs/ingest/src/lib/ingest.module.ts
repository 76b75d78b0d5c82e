import { Module } from '@nestjs/common';
import { DeviceAuthenticator } from './device-authenticator';
import { EventRecorder, QueueModule, RealtimeBridgeModule } from '@gridwatch/server';
import { GatewayStatusWriter } from './gateway-status.writer';
import { IngestBacklog } from './ingest-backlog';
import { IngestMetrics } from './ingest-metrics';
import { IngestPipeline } from './ingest-pipeline';

/** Device authentication and the validate -> enqueue half of the pipeline, for both apps. */
@Module({
  imports: [QueueModule, RealtimeBridgeModule],
  providers: [
    DeviceAuthenticator,
    IngestPipeline,
    IngestBacklog,
    IngestMetrics,
    EventRecorder,
    GatewayStatusWriter,
  ],
  exports: [
    DeviceAuthenticator,
    IngestPipeline,
    IngestBacklog,
    EventRecorder,
    GatewayStatusWriter,
    QueueModule,
  ],
})
export class IngestModule {}
