import { ApiProperty } from '@nestjs/swagger';
import type { BatchStatus, BatchView, ReadingSource } from '@gridwatch/contracts';

export class BatchDto implements BatchView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) gatewayId!: string | null;
  @ApiProperty({ enum: ['http', 'mqtt', 'modbus'] }) source!: ReadingSource;
  @ApiProperty({ enum: ['queued', 'processed', 'failed'] }) status!: BatchStatus;
  @ApiProperty({ description: 'Readings accepted at the edge and queued' }) accepted!: number;
  @ApiProperty({ description: 'Readings refused at the edge' }) rejected!: number;
  @ApiProperty({ description: 'New readings stored' }) processed!: number;
  @ApiProperty({ description: 'Readings already stored before (repeats)' }) duplicates!: number;
  @ApiProperty({ description: 'Readings that could not be stored' }) failed!: number;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) processedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
}

export class FailedJobDto {
  @ApiProperty({ description: 'The job id (equals the batch id)' }) id!: string;
  @ApiProperty({ format: 'uuid' }) batchId!: string;
  @ApiProperty() readings!: number;
  @ApiProperty() attemptsMade!: number;
  @ApiProperty() failedReason!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) failedAt!: string | null;
}
