import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  PARAMETERS,
  QUALITIES,
  type Parameter,
  type Quality,
  type ReadingSource,
} from '@gridwatch/contracts';

export class ReadingPointDto {
  @ApiProperty({ format: 'date-time', description: 'Reading time, or bucket start for aggregates' })
  ts!: string;
  @ApiProperty({ enum: PARAMETERS }) parameter!: Parameter;
  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      'Raw: the value; aggregates: the average of the good and estimated readings (null if none)',
  })
  value!: number | null;
  @ApiPropertyOptional() unit?: string;
  @ApiPropertyOptional({ enum: QUALITIES }) quality?: Quality;
  @ApiPropertyOptional({ enum: ['http', 'mqtt', 'modbus'] }) source?: ReadingSource;
  @ApiPropertyOptional({ description: 'Daily: the site-local date', example: '2026-11-23' })
  day?: string;
  @ApiPropertyOptional({ description: 'Good and estimated readings folded into the aggregate' })
  count?: number;
  @ApiPropertyOptional({
    description: 'Questionable and bad readings in the bucket, left out of the aggregate',
  })
  excludedCount?: number;
  @ApiPropertyOptional({ nullable: true, type: Number }) min?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) max?: number | null;
  @ApiPropertyOptional() sum?: number;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'First folded value' })
  first?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Last folded value' })
  last?: number | null;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description:
      'Counters: consumption in the bucket across resets (a drop near zero); glitches count nothing',
  })
  consumption?: number | null;
}

export class ReadingPageDto {
  @ApiProperty({ format: 'uuid' }) meterId!: string;
  @ApiProperty({ enum: ['raw', '5m', 'hourly', 'daily'] }) aggregation!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ type: ReadingPointDto, isArray: true }) items!: ReadingPointDto[];
  @ApiPropertyOptional({ description: 'Pass as `cursor` for the next page' }) nextCursor?: string;
}

export class LatestReadingDto {
  @ApiProperty({ enum: PARAMETERS }) parameter!: Parameter;
  @ApiProperty({ format: 'date-time' }) ts!: string;
  @ApiProperty() value!: number;
  @ApiProperty() unit!: string;
  @ApiProperty({ enum: QUALITIES }) quality!: Quality;
}
