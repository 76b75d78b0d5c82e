import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IngestBatchEntity } from '@gridwatch/server';
import { IngestModule as PipelineModule } from '@gridwatch/ingest';
import { ReadingsModule } from '../readings/readings.module';
import { DeviceAuthGuard, ForgetSignatureOnOutage } from './device-auth.guard';
import { IngestBacklogListener } from './ingest-backlog.listener';
import { IngestController } from './ingest.controller';
import { IngestQueueMetrics } from './ingest-queue.metrics';
import { LostBatchesSweeper } from './lost-batches.sweeper';
import { IngestProcessor } from './ingest.processor';
import { IngestService } from './ingest.service';
import { LivenessListener } from './liveness.listener';
import { LivenessService } from './liveness.service';

@Module({
  imports: [PipelineModule, ReadingsModule, TypeOrmModule.forFeature([IngestBatchEntity])],
  controllers: [IngestController],
  providers: [
    IngestService,
    IngestProcessor,
    IngestBacklogListener,
    IngestQueueMetrics,
    LostBatchesSweeper,
    LivenessService,
    LivenessListener,
    DeviceAuthGuard,
    ForgetSignatureOnOutage,
  ],
  exports: [LivenessService],
})
export class IngestModule {}
