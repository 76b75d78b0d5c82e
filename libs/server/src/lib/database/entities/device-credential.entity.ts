import { OrganizationEntity } from './organization.entity';
import type { CredentialOwnerType } from '@gridwatch/contracts';
import {
  Column,
  JoinColumn,
  ManyToOne,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';

/**
 * A device's shared secret, sealed with AES-256-GCM (HMAC verification needs the key itself).
 * Rotation keeps the previous secret valid until previous_valid_until.
 */
@Entity({ name: 'device_credentials' })
@Index('device_credentials_active_owner_key', ['ownerType', 'ownerId'], {
  unique: true,
  where: '"revoked_at" IS NULL',
})
@Index('device_credentials_active_device_id_key', ['deviceId'], {
  unique: true,
  where: '"revoked_at" IS NULL',
})
@Index('device_credentials_organization_id_idx', ['organizationId'])
export class DeviceCredentialEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ name: 'owner_type', type: 'text' })
  ownerType!: CredentialOwnerType;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  /** What the device sends as X-Device-ID: the gateway's serial number or the meter's UUID. */
  @Column({ name: 'device_id', type: 'text' })
  deviceId!: string;

  @Column({ name: 'secret_sealed', type: 'text' })
  secretSealed!: string;

  @Column({ name: 'previous_secret_sealed', type: 'text', nullable: true })
  previousSecretSealed!: string | null;

  @Column({ name: 'previous_valid_until', type: 'timestamptz', nullable: true })
  previousValidUntil!: Date | null;

  @Column({ name: 'rotated_at', type: 'timestamptz', nullable: true })
  rotatedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'organization_id',
    foreignKeyConstraintName: 'device_credentials_organization_id_fkey',
  })
  organization?: OrganizationEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
