import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PARAMETERS, QUALITIES } from '@gridwatch/contracts';

// Documentation only: device payloads are validated item by item by @gridwatch/ingest so that
// one bad reading never costs the rest of the batch.

export class GatewayReadingDto {
  @ApiProperty({ format: 'uuid', description: "The meter's UUID" }) meter_id!: string;
  @ApiProperty({ enum: PARAMETERS }) parameter!: string;
  @ApiProperty({ example: 1523.5 }) value!: number;
  @ApiPropertyOptional({
    example: 'W',
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
  @ApiProperty({ format: 'date-time' }) ts!: string;
  @ApiProperty({ description: 'Amperes' }) current!: number;
  @ApiProperty({ description: 'Volts' }) voltage!: number;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) attributes?: Record<
    string,
    unknown
  >;
}

export class GatewayPingDto {
  @ApiProperty() gateway_serial!: string;
  @ApiPropertyOptional({ format: 'date-time' }) timestamp?: string;
  @ApiPropertyOptional() ip_address?: string;
  @ApiPropertyOptional({ description: 'dBm' }) signal_strength?: number;
  @ApiPropertyOptional() sim_iccid?: string;
  @ApiPropertyOptional() cpu_percent?: number;
  @ApiPropertyOptional() memory_percent?: number;
  @ApiPropertyOptional() uptime_seconds?: number;
  @ApiPropertyOptional() firmware?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'GNSS position' })
  gnss?: Record<string, unknown>;
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
