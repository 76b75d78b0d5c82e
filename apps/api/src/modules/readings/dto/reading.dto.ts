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
  @ApiProperty({ description: 'Raw: the value; aggregates: the average' }) value!: number;
  @ApiPropertyOptional() unit?: string;
  @ApiPropertyOptional({ enum: QUALITIES }) quality?: Quality;
  @ApiPropertyOptional({ enum: ['http', 'mqtt', 'modbus'] }) source?: ReadingSource;
  @ApiPropertyOptional({ description: 'Daily: the site-local date', example: '2026-11-23' })
  day?: string;
  @ApiPropertyOptional() count?: number;
  @ApiPropertyOptional() min?: number;
  @ApiPropertyOptional() max?: number;
  @ApiPropertyOptional() sum?: number;
  @ApiPropertyOptional({ description: 'First value in the bucket' }) first?: number;
  @ApiPropertyOptional({ description: 'Last value in the bucket' }) last?: number;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Counters: consumption in the bucket across resets',
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
