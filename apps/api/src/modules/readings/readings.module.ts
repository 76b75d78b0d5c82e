import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataQualityModule, MeterEntity } from '@gridwatch/server';
import { PartitionsService } from './partitions.service';
import { ReadingsQueryRepository } from './readings-query.repository';
import { ReadingsController } from './readings.controller';
import { ReadingsRepository } from './readings.repository';
import { ReadingsService } from './readings.service';
import { RollupLagMetric } from './rollup-lag.metric';
import { RollupsScheduler } from './rollups.scheduler';

@Module({
  imports: [TypeOrmModule.forFeature([MeterEntity]), DataQualityModule],
  controllers: [ReadingsController],
  providers: [
    ReadingsRepository,
    ReadingsQueryRepository,
    ReadingsService,
    PartitionsService,
    RollupsScheduler,
    RollupLagMetric,
  ],
  exports: [ReadingsRepository, ReadingsQueryRepository, PartitionsService],
})
export class ReadingsModule {}
