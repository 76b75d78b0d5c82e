import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import {
  GATEWAY_PROTOCOLS,
  GATEWAY_STATUSES,
  type GatewayProtocol,
  type GatewayStatus,
} from '@gridwatch/contracts';
import { PageQueryDto } from '../../../common/page.dto';

export const GATEWAY_SORTS = ['name', 'serialNumber', 'createdAt', 'lastSeenAt'] as const;

export class ListGatewaysDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: GATEWAY_STATUSES })
  @IsOptional()
  @IsIn(GATEWAY_STATUSES)
  status?: GatewayStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  siteId?: string;

  @ApiPropertyOptional({ enum: GATEWAY_PROTOCOLS })
  @IsOptional()
  @IsIn(GATEWAY_PROTOCOLS)
  protocol?: GatewayProtocol;

  @ApiPropertyOptional({ description: 'Matches name or serial number' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: GATEWAY_SORTS, default: 'name' })
  @IsOptional()
  @IsIn(GATEWAY_SORTS)
  sort: (typeof GATEWAY_SORTS)[number] = 'name';
}
