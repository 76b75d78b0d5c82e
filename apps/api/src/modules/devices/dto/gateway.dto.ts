import { ApiProperty } from '@nestjs/swagger';
import {
  GATEWAY_PROTOCOLS,
  GATEWAY_STATUSES,
  type GatewayProtocol,
  type GatewayStatus,
  type GatewayView,
} from '@gridwatch/contracts';
import { PageOf } from '../../../common/page.dto';

export class GatewayDto implements GatewayView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() serialNumber!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid' }) siteId!: string;
  @ApiProperty({ enum: GATEWAY_PROTOCOLS }) protocol!: GatewayProtocol;
  @ApiProperty({ nullable: true, type: String }) host!: string | null;
  @ApiProperty({ nullable: true, type: Number }) port!: number | null;
  @ApiProperty() pollIntervalSeconds!: number;
  @ApiProperty({ enum: GATEWAY_STATUSES }) status!: GatewayStatus;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastSeenAt!: string | null;
  @ApiProperty() missedPings!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Latest connection details from pings: IP, signal strength, SIM, CPU/memory, GNSS',
  })
  connection!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class GatewayPageDto extends PageOf(GatewayDto, 'GatewayPage') {}
