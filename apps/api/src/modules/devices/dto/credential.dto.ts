import { ApiProperty } from '@nestjs/swagger';
import type { CredentialOwnerType, CredentialView, IssuedCredential } from '@gridwatch/contracts';

export class CredentialDto implements CredentialView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['gateway', 'meter'] }) ownerType!: CredentialOwnerType;
  @ApiProperty({ format: 'uuid' }) ownerId!: string;
  @ApiProperty({
    description:
      "What the device sends as X-Device-ID: a gateway's serial number or a meter's UUID",
  })
  deviceId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) rotatedAt!: string | null;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'Until when the secret before the last rotation is still accepted',
  })
  previousValidUntil!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt!: string | null;
}

export class IssuedCredentialDto extends CredentialDto implements IssuedCredential {
  @ApiProperty({
    description:
      'The device secret (32 random bytes, base64url). Shown once: store it on the device now.',
  })
  secret!: string;
}
