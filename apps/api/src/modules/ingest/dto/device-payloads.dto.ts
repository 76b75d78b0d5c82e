import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Parameter, PARAMETERS, QUALITIES } from '@gridwatch/contracts';
import { CANONICAL_UNITS, GATEWAY_CONNECTION_LIMITS } from '@gridwatch/domain';

// Documentation only: device payloads are validated item by item by @gridwatch/ingest so that
// one bad reading never costs the rest of the batch.

export class GatewayReadingDto {
  @ApiProperty({ format: 'uuid', description: "The meter's UUID" }) meter_id!: string;
  @ApiProperty({ enum: PARAMETERS, example: Parameter.PowerW }) parameter!: string;
  @ApiProperty({ example: 1523.5 }) value!: number;
  @ApiPropertyOptional({
    example: CANONICAL_UNITS[Parameter.PowerW],
    description: 'Normalised to the canonical unit (Wh -> kWh, kW -> W, ...)',
  })
  unit?: string;
  @ApiPropertyOptional({ enum: QUALITIES, default: 'good' }) quality?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Overrides the batch timestamp' })
  timestamp?: string;
}

export class GatewayBatchDto {
  @ApiProperty({ example: 'GW-DEMO-HTTP-01' }) gateway_serial!: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-23T10:00:00Z' }) timestamp!: string;
  @ApiProperty({ type: GatewayReadingDto, isArray: true, maxItems: 5000 })
  readings!: GatewayReadingDto[];
}

export class DeviceSampleDto {
  @ApiProperty({ format: 'date-time', example: '2026-11-23T10:00:00Z' }) ts!: string;
  @ApiProperty({ description: 'Amperes', example: 4.2 }) current!: number;
  @ApiProperty({ description: 'Volts', example: 231.8 }) voltage!: number;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) attributes?: Record<
    string,
    unknown
  >;
}

const LIMITS = GATEWAY_CONNECTION_LIMITS;

export class GnssPositionDto {
  @ApiProperty({ minimum: -90, maximum: 90, example: 51.5072 }) lat!: number;
  @ApiProperty({ minimum: -180, maximum: 180, example: -0.1276 }) lon!: number;
  @ApiPropertyOptional({ minimum: -1000, maximum: 100000 }) alt_m?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 2000 }) speed_kmh?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 360 }) heading_deg?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 200 }) satellites?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 100 }) hdop?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 100000 }) accuracy_m?: number;
}

// Checked by checkGatewayConnection (@gridwatch/domain), the rules MQTT heartbeats share: an
// invalid field is a 400 listing each one; unknown keys are dropped, never stored.
export class GatewayPingDto {
  @ApiPropertyOptional({
    example: 'GW-DEMO-HTTP-01',
    description: "Must be the authenticated gateway's serial",
  })
  gateway_serial?: string;
  @ApiPropertyOptional({ format: 'date-time' }) timestamp?: string;
  @ApiPropertyOptional({ description: 'IPv4 or IPv6', maxLength: LIMITS.ipAddressMaxLength })
  ip_address?: string;
  @ApiPropertyOptional({
    description: 'dBm',
    minimum: LIMITS.signalStrengthDbm.min,
    maximum: LIMITS.signalStrengthDbm.max,
    example: -71,
  })
  signal_strength?: number;
  @ApiPropertyOptional({ pattern: LIMITS.simIccidPattern.source }) sim_iccid?: string;
  @ApiPropertyOptional({ minimum: LIMITS.percent.min, maximum: LIMITS.percent.max })
  cpu_percent?: number;
  @ApiPropertyOptional({ minimum: LIMITS.percent.min, maximum: LIMITS.percent.max })
  memory_percent?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: LIMITS.uptimeSecondsMax })
  uptime_seconds?: number;
  @ApiPropertyOptional({ maxLength: LIMITS.firmwareMaxLength }) firmware?: string;
  @ApiPropertyOptional({
    type: GnssPositionDto,
    description: `GNSS position: at most ${LIMITS.gnssMaxKeys} keys; unknown ones are dropped`,
  })
  gnss?: GnssPositionDto;
}

export class IngestRejectionDto {
  @ApiProperty() index!: number;
  @ApiProperty({ example: 'unknown_meter' }) error!: string;
  @ApiProperty() message!: string;
}

export class IngestAcceptedDto {
  @ApiProperty({ format: 'uuid' }) batch_id!: string;
  @ApiProperty() accepted!: number;
  @ApiProperty({ type: IngestRejectionDto, isArray: true }) rejected!: IngestRejectionDto[];
}

export class PingAnswerDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
  @ApiProperty({ format: 'date-time' }) server_time!: string;
  @ApiProperty() poll_interval_seconds!: number;
}

const METER_ID = '0d5c2a4e-8a43-4c7e-9d39-1b8f0f3f1d2a';

/** An example reading: each parameter in its canonical unit, as the API stores it. */
function exampleReading(parameter: Parameter, value: number) {
  return {
    meter_id: METER_ID,
    parameter,
    value,
    unit: CANONICAL_UNITS[parameter],
    quality: 'good',
  };
}

/** A realistic gateway batch for the docs (REST and the MQTT readings topic). */
export const GATEWAY_BATCH_EXAMPLE = {
  gateway_serial: 'GW-DEMO-HTTP-01',
  timestamp: '2026-11-23T10:00:00Z',
  readings: [
    exampleReading(Parameter.EnergyKwh, 18234.75),
    exampleReading(Parameter.PowerW, 1523.5),
    exampleReading(Parameter.VoltageV, 231.8),
    { ...exampleReading(Parameter.CurrentA, 6.6), timestamp: '2026-11-23T09:59:30Z' },
  ],
};

export const DEVICE_SAMPLE_EXAMPLE = {
  ts: '2026-11-23T10:00:00Z',
  current: 4.2,
  voltage: 231.8,
  attributes: { relay: 'on' },
};

export const GATEWAY_PING_EXAMPLE = {
  gateway_serial: 'GW-DEMO-HTTP-01',
  timestamp: '2026-11-23T10:00:00Z',
  ip_address: '10.20.30.40',
  signal_strength: -71,
  sim_iccid: '8944100000000000001',
  cpu_percent: 12.5,
  memory_percent: 41,
  uptime_seconds: 86400,
  firmware: 'RUT955-7.4.2',
};
