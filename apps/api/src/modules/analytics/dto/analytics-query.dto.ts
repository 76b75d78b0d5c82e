import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsUUID, Matches, ValidateIf } from 'class-validator';
import {
  ANALYTICS_INTERVALS,
  ANALYTICS_SCOPES,
  type AnalyticsInterval,
  type AnalyticsScope,
} from '@gridwatch/contracts';
import { canonicalTimeZone, IsIanaTimeZone } from '../../devices/dto/validators';
import { RFC3339_WITH_OFFSET } from '../../readings/dto/query-readings.dto';

export const COMPARISONS = ['previous', 'year'] as const;
export type Comparison = (typeof COMPARISONS)[number];
export const GROUPINGS = ['meter', 'kind'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** What to total: a meter, a site or the whole organization, over [from, to). */
export class AnalyticsTargetDto {
  @ApiProperty({ enum: ANALYTICS_SCOPES, example: 'site' })
  @IsIn(ANALYTICS_SCOPES)
  scope!: AnalyticsScope;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "The meter's or site's id; not used for the organization scope",
  })
  @ValidateIf((query: AnalyticsTargetDto) => query.scope !== 'organization')
  @IsUUID()
  id?: string;

  @ApiProperty({
    example: '2026-11-30T00:00:00Z',
    description: 'RFC 3339 with offset; the local period containing it is the first',
  })
  @Matches(RFC3339_WITH_OFFSET, { message: 'from must be an RFC 3339 timestamp with an offset' })
  from!: string;

  @ApiProperty({ example: '2026-12-07T00:00:00Z', description: 'RFC 3339 with offset, exclusive' })
  @Matches(RFC3339_WITH_OFFSET, { message: 'to must be an RFC 3339 timestamp with an offset' })
  to!: string;

  @ApiPropertyOptional({
    example: 'UTC',
    description:
      "IANA zone of the periods for the organization scope (default UTC); a meter's or site's " +
      'periods are always in the site time zone',
  })
  @IsOptional()
  @Transform(({ value }) => canonicalTimeZone(value))
  @IsIanaTimeZone()
  timezone?: string;
}

export class PeriodQueryDto extends AnalyticsTargetDto {
  @ApiPropertyOptional({ enum: ANALYTICS_INTERVALS, default: 'day' })
  @IsOptional()
  @IsIn(ANALYTICS_INTERVALS)
  interval: AnalyticsInterval = 'day';

  @ApiPropertyOptional({
    enum: COMPARISONS,
    description:
      'Add the previous run of periods, or the same periods a year earlier, and the change',
  })
  @IsOptional()
  @IsIn(COMPARISONS)
  compare?: Comparison;
}

export class ConsumptionQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({
    enum: GROUPINGS,
    description: 'Also answer the periods per meter or kind',
  })
  @IsOptional()
  @IsIn(GROUPINGS)
  groupBy?: Grouping;
}
