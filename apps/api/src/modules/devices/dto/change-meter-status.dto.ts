import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { METER_STATUSES, type MeterStatus } from '@gridwatch/contracts';

export class ChangeMeterStatusDto {
  @ApiProperty({ enum: METER_STATUSES, description: 'decommissioned is final' })
  @IsIn(METER_STATUSES)
  status!: MeterStatus;

  @ApiPropertyOptional({
    example: 'Replacing the CT clamps',
    description: 'Kept in the audit trail',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
