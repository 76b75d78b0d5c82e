import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { AGGREGATIONS, PARAMETERS, type Aggregation } from '@gridwatch/contracts';

export const RFC3339_WITH_OFFSET =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const PARAMETER_LIST = new RegExp(`^(${PARAMETERS.join('|')})(,(${PARAMETERS.join('|')}))*$`);

export class QueryReadingsDto {
  @ApiPropertyOptional({ description: 'RFC 3339 with offset, inclusive; default 24 h before `to`' })
  @IsOptional()
  @Matches(RFC3339_WITH_OFFSET, { message: 'from must be an RFC 3339 timestamp with an offset' })
  from?: string;

  @ApiPropertyOptional({ description: 'RFC 3339 with offset, exclusive; default now' })
  @IsOptional()
  @Matches(RFC3339_WITH_OFFSET, { message: 'to must be an RFC 3339 timestamp with an offset' })
  to?: string;

  @ApiPropertyOptional({
    description: `Comma-separated: ${PARAMETERS.join(', ')}`,
    example: 'power_w,energy_kwh',
  })
  @IsOptional()
  @IsString()
  @Matches(PARAMETER_LIST, {
    message: `parameter must be a comma-separated list of ${PARAMETERS.join(', ')}`,
  })
  parameter?: string;

  @ApiPropertyOptional({ enum: AGGREGATIONS, default: 'raw' })
  @IsOptional()
  @IsIn(AGGREGATIONS)
  aggregation: Aggregation = 'raw';

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 5000, default: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5000)
  limit = 1000;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

/** The same filters as a page, without paging: an export streams every matching row. */
export class ExportReadingsDto extends OmitType(QueryReadingsDto, ['limit', 'cursor'] as const) {}
