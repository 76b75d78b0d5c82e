import { Module } from '@nestjs/common';
import { DataQualityIssuesRepository } from './data-quality-issues.repository';

/** Data quality issues, opened by the API's ingest processor and the transport's poller alike. */
@Module({ providers: [DataQualityIssuesRepository], exports: [DataQualityIssuesRepository] })
export class DataQualityModule {}
