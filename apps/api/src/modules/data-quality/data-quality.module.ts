import { Module } from '@nestjs/common';
import { DataQualityIssuesQueryRepository } from './data-quality-issues-query.repository';
import { DataQualityController } from './data-quality.controller';
import { DataQualityService } from './data-quality.service';

@Module({
  controllers: [DataQualityController],
  providers: [DataQualityService, DataQualityIssuesQueryRepository],
})
export class DataQualityModule {}
