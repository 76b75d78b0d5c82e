import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import {
  DATA_QUALITY_KINDS,
  DATA_QUALITY_SEVERITIES,
  type DataQualityKind,
  type DataQualitySeverity,
} from '@gridwatch/contracts';
import { PageQueryDto } from '../../../common/page.dto';

/** Filters of the issue list; `limit` and `cursor` as every keyset-paginated list. */
export class ListDataQualityIssuesDto extends PickType(PageQueryDto, ['limit', 'cursor'] as const) {
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
}
