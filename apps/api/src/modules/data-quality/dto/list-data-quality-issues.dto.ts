import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import {
  DATA_QUALITY_KINDS,
  DATA_QUALITY_SEVERITIES,
  type DataQualityKind,
  type DataQualitySeverity,
} from '@gridwatch/contracts';

export class ListDataQualityIssuesDto {
  @ApiPropertyOptional({ format: 'uuid', description: "Issues of the site's meters and gateways" })
  @IsOptional()
  @IsUUID()
  siteId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  meterId?: string;

  @ApiPropertyOptional({ enum: DATA_QUALITY_KINDS })
  @IsOptional()
  @IsIn(DATA_QUALITY_KINDS)
  kind?: DataQualityKind;

  @ApiPropertyOptional({ enum: DATA_QUALITY_SEVERITIES })
  @IsOptional()
  @IsIn(DATA_QUALITY_SEVERITIES)
  severity?: DataQualitySeverity;

  @ApiPropertyOptional({
    type: Boolean,
    description: 'true: open issues only; false: resolved only',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  open?: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  @ApiPropertyOptional({ description: "Opaque cursor from the previous page's nextCursor" })
  @IsOptional()
  @IsString()
  cursor?: string;
}
