import { Module } from '@nestjs/common';
import { DeviceAuthenticator } from './device-authenticator';
import { IngestPipeline } from './ingest-pipeline';
import { EventRecorder, QueueModule } from '@gridwatch/server';

/** Device authentication and the validate -> enqueue half of the pipeline, for both apps. */
@Module({
  imports: [QueueModule],
  providers: [DeviceAuthenticator, IngestPipeline, EventRecorder],
  exports: [DeviceAuthenticator, IngestPipeline, EventRecorder, QueueModule],
})
export class IngestModule {}
