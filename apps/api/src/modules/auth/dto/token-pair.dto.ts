import { ApiProperty } from '@nestjs/swagger';
import { ROLES, Scope, type MeResponse, type Role, type TokenPair } from '@gridwatch/contracts';

export class TokenPairDto implements TokenPair {
  @ApiProperty({ description: 'Bearer JWT for the API, valid for expiresIn seconds' })
  accessToken!: string;

  @ApiProperty({ example: 900 })
  expiresIn!: number;

  @ApiProperty({ description: 'Single-use: each refresh answers a new one' })
  refreshToken!: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';
}

export class MeDto implements MeResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty() organizationName!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastLoginAt!: string | null;
  @ApiProperty({ enum: Object.values(Scope), isArray: true }) scopes!: Scope[];
}
