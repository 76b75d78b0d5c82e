import { ApiProperty } from '@nestjs/swagger';
import {
  METER_KINDS,
  METER_STATUSES,
  type MeterKind,
  type MeterStatus,
  type MeterView,
  type ValueRangeOverrides,
} from '@gridwatch/contracts';
import { PageOf } from '../../../common/page.dto';
import { RANGE_OVERRIDES_SCHEMA, REGISTER_MAP_SCHEMA } from './create-meter.dto';

export class MeterDto implements MeterView {
  @ApiProperty({ format: 'uuid', description: 'Also the X-Device-ID of a direct device' })
  id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid' }) siteId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) gatewayId!: string | null;
  @ApiProperty({ enum: METER_KINDS }) kind!: MeterKind;
  @ApiProperty({ nullable: true, type: String }) model!: string | null;
  @ApiProperty({ nullable: true, type: String }) firmware!: string | null;
  @ApiProperty({ nullable: true, type: String }) location!: string | null;
  @ApiProperty({ type: String, isArray: true }) tags!: string[];
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: Number }) modbusUnitId!: number | null;
  @ApiProperty(REGISTER_MAP_SCHEMA) registerMap!: unknown;
  @ApiProperty(RANGE_OVERRIDES_SCHEMA) rangeOverrides!: ValueRangeOverrides;
  @ApiProperty() heartbeatIntervalSeconds!: number;
  @ApiProperty({ enum: METER_STATUSES }) status!: MeterStatus;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastSeenAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class MeterPageDto extends PageOf(MeterDto, 'MeterPage') {}
