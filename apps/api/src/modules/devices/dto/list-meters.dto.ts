import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import {
  METER_KINDS,
  METER_STATUSES,
  type MeterKind,
  type MeterStatus,
} from '@gridwatch/contracts';
import { PageQueryDto } from '../../../common/page.dto';

export const METER_SORTS = ['name', 'createdAt', 'lastSeenAt', 'kind'] as const;

export class ListMetersDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: METER_STATUSES })
  @IsOptional()
  @IsIn(METER_STATUSES)
  status?: MeterStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  siteId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  gatewayId?: string;

  @ApiPropertyOptional({ enum: METER_KINDS })
  @IsOptional()
  @IsIn(METER_KINDS)
  kind?: MeterKind;

  @ApiPropertyOptional({
    type: String,
    example: 'hvac,critical',
    description: 'Comma-separated: meters carrying every one of these tags',
  })
  @IsOptional()
  @Transform(({ value }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((tag) => tag.trim())
          .filter(Boolean)
      : value,
  )
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ description: 'Matches name, location or model' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: METER_SORTS, default: 'name' })
  @IsOptional()
  @IsIn(METER_SORTS)
  sort: (typeof METER_SORTS)[number] = 'name';
}
