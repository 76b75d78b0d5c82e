import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { GATEWAY_PROTOCOLS, type GatewayProtocol } from '@gridwatch/contracts';
import { IsHost, IsOptionalNonNull } from './validators';

export const DEFAULT_POLL_INTERVAL_SECONDS = 1800;

export class CreateGatewayDto {
  @ApiProperty({
    example: 'GW-LDN-0001',
    description: 'Globally unique; what the gateway sends as X-Device-ID and uses in MQTT topics',
  })
  // No "/", "+" or "#": the serial is a segment of MQTT topic names.
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, {
    message: '$property must be 1-64 letters, digits, dots, colons, dashes or underscores',
  })
  serialNumber!: string;

  @ApiProperty({ example: 'London office router' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name!: string;

  @ApiProperty({ format: 'uuid', description: "A site of the caller's organization" })
  @IsUUID()
  siteId!: string;

  @ApiProperty({ enum: GATEWAY_PROTOCOLS })
  @IsIn(GATEWAY_PROTOCOLS)
  protocol!: GatewayProtocol;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: '10.20.30.40',
    description: 'Host name or IP address; required for modbus_tcp',
  })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  @IsHost()
  host?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    minimum: 1,
    maximum: 65535,
    description: 'Required for modbus_tcp',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  port?: number | null;

  @ApiPropertyOptional({ minimum: 5, maximum: 86400, default: DEFAULT_POLL_INTERVAL_SECONDS })
  @IsOptionalNonNull()
  @IsInt()
  @Min(5)
  @Max(86400)
  pollIntervalSeconds?: number;
}
