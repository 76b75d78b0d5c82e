import { Module } from '@nestjs/common';
import { ReadingsRepository } from './readings.repository';

@Module({
  providers: [ReadingsRepository],
  exports: [ReadingsRepository],
})
export class ReadingsModule {}
