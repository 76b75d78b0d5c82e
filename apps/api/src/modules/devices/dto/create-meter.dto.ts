import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  METER_KINDS,
  PARAMETERS,
  type MeterKind,
  type ValueRangeOverrides,
} from '@gridwatch/contracts';
import { BUILT_IN_REGISTER_MAP_NAMES } from '@gridwatch/domain';
import { IsRegisterMap } from './register-map.constraint';
import { IsOptionalNonNull, IsRangeOverrides, MaxJsonBytes } from './validators';

export const DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 1800;
const MAX_JSON_BYTES = 16 * 1024;

export const RANGE_OVERRIDES_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  description: `Plausible value range per parameter (${PARAMETERS.join(', ')}), in canonical units`,
  example: { power_w: { min: 0, max: 20000 } },
  additionalProperties: {
    type: 'object',
    properties: { min: { type: 'number' }, max: { type: 'number' } },
  },
};

export const REGISTER_MAP_SCHEMA: ApiPropertyOptions = {
  oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: true }],
  nullable: true,
  description: `A built-in register map name (${BUILT_IN_REGISTER_MAP_NAMES.join(', ')}) or a custom map document (docs/modbus.md)`,
};

export class CreateMeterDto {
  @ApiProperty({ example: 'Main incomer' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name!: string;

  @ApiProperty({ format: 'uuid', description: "A site of the caller's organization" })
  @IsUUID()
  siteId!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'A gateway on the same site; null or absent for a direct device',
  })
  @IsOptional()
  @IsUUID()
  gatewayId?: string | null;

  @ApiProperty({ enum: METER_KINDS })
  @IsIn(METER_KINDS)
  kind!: MeterKind;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'Eastron SDM630' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  model?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: '2.1.4' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  firmware?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'Plant room' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string | null;

  @ApiPropertyOptional({ type: String, isArray: true, maxItems: 20, example: ['hvac'] })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(40, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptionalNonNull()
  @IsObject()
  @MaxJsonBytes(MAX_JSON_BYTES)
  metadata?: Record<string, unknown>;

  @ApiPropertyOptional({ nullable: true, type: Number, minimum: 1, maximum: 247 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(247)
  modbusUnitId?: number | null;

  @ApiPropertyOptional(REGISTER_MAP_SCHEMA)
  @IsOptional()
  @IsRegisterMap()
  @MaxJsonBytes(MAX_JSON_BYTES)
  registerMap?: string | Record<string, unknown> | null;

  @ApiPropertyOptional(RANGE_OVERRIDES_SCHEMA)
  @IsOptionalNonNull()
  @IsRangeOverrides()
  rangeOverrides?: ValueRangeOverrides;

  @ApiPropertyOptional({ minimum: 10, maximum: 86400, default: DEFAULT_HEARTBEAT_INTERVAL_SECONDS })
  @IsOptionalNonNull()
  @IsInt()
  @Min(10)
  @Max(86400)
  heartbeatIntervalSeconds?: number;
}
