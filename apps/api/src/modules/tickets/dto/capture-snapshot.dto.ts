import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class CaptureSnapshotDto {
  @ApiProperty({ format: 'uuid', description: 'A meter of the organization' })
  @IsUUID()
  meterId!: string;
}
