import { Module } from '@nestjs/common';
import { PartitionsService } from './partitions.service';
import { ReadingsRepository } from './readings.repository';

@Module({
  providers: [ReadingsRepository, PartitionsService],
  exports: [ReadingsRepository, PartitionsService],
})
export class ReadingsModule {}
