import { Module } from '@nestjs/common';
import { EventRecorder } from '../events/event-recorder';
import { QueueModule } from '../queue/queue.module';
import { DeviceAuthenticator } from './device-authenticator';
import { IngestPipeline } from './ingest-pipeline';

/** Device authentication and the validate -> enqueue half of the pipeline, for both apps. */
@Module({
  imports: [QueueModule],
  providers: [DeviceAuthenticator, IngestPipeline, EventRecorder],
  exports: [DeviceAuthenticator, IngestPipeline, EventRecorder, QueueModule],
})
export class IngestModule {}
