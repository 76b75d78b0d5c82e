import { ApiProperty } from '@nestjs/swagger';
import {
  BatchStatus,
  IngestErrorCode,
  type BatchFailure,
  type BatchView,
  type ReadingSource,
} from '@gridwatch/contracts';

export class BatchFailureDto implements BatchFailure {
  @ApiProperty({ format: 'uuid' }) meterId!: string;
  @ApiProperty({ example: 'power_w' }) parameter!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) ts!: string | null;
  @ApiProperty({ nullable: true, type: Number }) value!: number | null;
  @ApiProperty({ enum: Object.values(IngestErrorCode), example: 'invalid_value' })
  error!: IngestErrorCode;
  @ApiProperty({ description: 'What the database said' }) message!: string;
}

export class BatchDto implements BatchView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) gatewayId!: string | null;
  @ApiProperty({ enum: ['http', 'mqtt', 'modbus'] }) source!: ReadingSource;
  @ApiProperty({ enum: Object.values(BatchStatus) }) status!: BatchStatus;
  @ApiProperty({ description: 'Readings accepted at the edge and queued' }) accepted!: number;
  @ApiProperty({ description: 'Readings refused at the edge' }) rejected!: number;
  @ApiProperty({ description: 'New readings stored' }) processed!: number;
  @ApiProperty({ description: 'Readings already stored before (repeats)' }) duplicates!: number;
  @ApiProperty({ description: 'Readings that could not be stored' }) failed!: number;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) processedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({
    type: BatchFailureDto,
    isArray: true,
    description: 'Readings the database refused, parked with the reason (the first 100)',
  })
  failures!: BatchFailure[];
}

export class FailedJobDto {
  @ApiProperty({ description: 'The job id (equals the batch id)' }) id!: string;
  @ApiProperty({ format: 'uuid' }) batchId!: string;
  @ApiProperty() readings!: number;
  @ApiProperty() attemptsMade!: number;
  @ApiProperty() failedReason!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) failedAt!: string | null;
}
