import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';
import type { CredentialOwnerType, EventType } from '@gridwatch/contracts';
import {
  APP_CONFIG,
  AppConfig,
  Conflict,
  DeviceCredentialEntity,
  GatewayEntity,
  MeterEntity,
  NotFound,
  SecretBox,
} from '@gridwatch/server';
import { BrokerAccounts } from '../broker/broker-accounts.service';
import type { RequestActor } from '../auth/authenticated-user';
import { EventRecorder } from '@gridwatch/server';
import type { CredentialDto, IssuedCredentialDto } from './dto/credential.dto';
import { isUniqueViolation } from '../../common/postgres';

const SECRET_BYTES = 32;
const ACTIVE_OWNER_KEY = 'device_credentials_active_owner_key';
const ACTIVE_DEVICE_ID_KEY = 'device_credentials_active_device_id_key';

/** The gateway or meter a credential belongs to. */
export interface CredentialOwner {
  type: CredentialOwnerType;
  id: string;
}

/**
 * Device credentials: one active per gateway or meter. Secrets are sealed at rest and leave the
 * server only in the answer to create and rotate.
 */
@Injectable()
export class DeviceCredentialsService {
  private readonly box: SecretBox;

  constructor(
    @InjectRepository(DeviceCredentialEntity)
    private readonly credentials: Repository<DeviceCredentialEntity>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventRecorder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly broker: BrokerAccounts,
  ) {
    this.box = new SecretBox(config.credentialsKey);
  }

  async get(organizationId: string, owner: CredentialOwner): Promise<CredentialDto> {
    await this.findOwner(this.db.manager, organizationId, owner);
    return toCredentialView(await this.findActive(this.db.manager, owner));
  }

  async create(actor: RequestActor, owner: CredentialOwner): Promise<IssuedCredentialDto> {
    const organizationId = actor.user.organizationId;
    const secret = newSecret();
    let credential: DeviceCredentialEntity;
    try {
      credential = await this.db.transaction(async (manager) => {
        // Locks the owner so a concurrent decommissioning or serial change cannot slip past.
        const { deviceId, decommissioned } = await this.findOwner(
          manager,
          organizationId,
          owner,
          true,
        );
        if (decommissioned) {
          throw new Conflict(
            'meter_decommissioned',
            'The meter is decommissioned: it takes no credentials',
          );
        }
        const where = { ownerType: owner.type, ownerId: owner.id, revokedAt: IsNull() };
        if (await manager.existsBy(DeviceCredentialEntity, where)) throw credentialExists();
        return manager.save(
          manager.create(DeviceCredentialEntity, {
            organizationId,
            ownerType: owner.type,
            ownerId: owner.id,
            deviceId,
            secretSealed: this.box.seal(secret),
          }),
        );
      });
    } catch (error) {
      if (
        isUniqueViolation(error, ACTIVE_OWNER_KEY) ||
        isUniqueViolation(error, ACTIVE_DEVICE_ID_KEY)
      ) {
        throw credentialExists();
      }
      throw error;
    }
    await this.record(actor, 'credentials.created', credential);
    await this.broker.syncOwner(owner);
    return { ...toCredentialView(credential), secret };
  }

  /** A new secret; the previous one stays valid for the configured grace period. */
  async rotate(actor: RequestActor, owner: CredentialOwner): Promise<IssuedCredentialDto> {
    const organizationId = actor.user.organizationId;
    const secret = newSecret();
    const credential = await this.db.transaction(async (manager) => {
      await this.findOwner(manager, organizationId, owner);
      const active = await this.findActive(manager, owner, true);
      const now = new Date();
      active.previousSecretSealed = active.secretSealed;
      active.previousValidUntil = new Date(
        now.getTime() + this.config.credentialRotationGraceSeconds * 1000,
      );
      active.secretSealed = this.box.seal(secret);
      active.rotatedAt = now;
      return manager.save(active);
    });
    await this.record(actor, 'credentials.rotated', credential, {
      previousValidUntil: credential.previousValidUntil?.toISOString() ?? null,
    });
    await this.broker.syncOwner(owner);
    return { ...toCredentialView(credential), secret };
  }

  async revoke(actor: RequestActor, owner: CredentialOwner): Promise<void> {
    const organizationId = actor.user.organizationId;
    const revoked = await this.db.transaction(async (manager) => {
      await this.findOwner(manager, organizationId, owner);
      const active = await this.findActive(manager, owner, true);
      return this.revokeRow(manager, active);
    });
    await this.record(actor, 'credentials.revoked', revoked);
    await this.broker.syncOwner(owner);
  }

  /** Brings the owner's broker client in line (never throws; see BrokerAccounts). */
  syncBroker(owner: CredentialOwner): Promise<void> {
    return this.broker.syncOwner(owner);
  }

  /** Revokes the owner's active credential inside the caller's transaction; null when none was active. */
  async revokeActiveOf(
    manager: EntityManager,
    owner: CredentialOwner,
  ): Promise<DeviceCredentialEntity | null> {
    const active = await manager.findOne(DeviceCredentialEntity, {
      where: { ownerType: owner.type, ownerId: owner.id, revokedAt: IsNull() },
      lock: { mode: 'pessimistic_write' },
    });
    this.broker.reconcileSoon();
    return active ? this.revokeRow(manager, active) : null;
  }

  /** Forgets every credential of a deleted gateway or meter; returns how many there were. */
  async deleteAllOf(manager: EntityManager, owner: CredentialOwner): Promise<number> {
    this.broker.reconcileSoon();
    const result = await manager.delete(DeviceCredentialEntity, {
      ownerType: owner.type,
      ownerId: owner.id,
    });
    return result.affected ?? 0;
  }

  /** Follows a gateway's new serial number: the device id is what the gateway sends. */
  async renameDevice(
    manager: EntityManager,
    owner: CredentialOwner,
    deviceId: string,
  ): Promise<void> {
    this.broker.reconcileSoon();
    await manager.update(
      DeviceCredentialEntity,
      { ownerType: owner.type, ownerId: owner.id, revokedAt: IsNull() },
      { deviceId },
    );
  }

  /** The audit record of a credential change; never the secret. */
  async record(
    actor: RequestActor,
    type: Extract<EventType, `credentials.${string}`>,
    credential: DeviceCredentialEntity,
    data: Record<string, unknown> = {},
  ): Promise<void> {
    await this.events.record({
      organizationId: credential.organizationId,
      type,
      actor,
      subject: { type: credential.ownerType, id: credential.ownerId },
      data: { credentialId: credential.id, deviceId: credential.deviceId, ...data },
    });
  }

  private async revokeRow(
    manager: EntityManager,
    credential: DeviceCredentialEntity,
  ): Promise<DeviceCredentialEntity> {
    credential.revokedAt = new Date();
    credential.previousSecretSealed = null;
    credential.previousValidUntil = null;
    return manager.save(credential);
  }

  /** The owner's X-Device-ID and state, if it belongs to the organization; otherwise 404. */
  private async findOwner(
    manager: EntityManager,
    organizationId: string,
    owner: CredentialOwner,
    lock = false,
  ): Promise<{ deviceId: string; decommissioned: boolean }> {
    const options = lock ? { lock: { mode: 'pessimistic_read' as const } } : {};
    if (owner.type === 'gateway') {
      const gateway = await manager.findOne(GatewayEntity, {
        where: { id: owner.id, organizationId },
        ...options,
      });
      if (!gateway) throw new NotFound('gateway_not_found', 'Gateway');
      return { deviceId: gateway.serialNumber, decommissioned: false };
    }
    const meter = await manager.findOne(MeterEntity, {
      where: { id: owner.id, organizationId },
      ...options,
    });
    if (!meter) throw new NotFound('meter_not_found', 'Meter');
    return { deviceId: meter.id, decommissioned: meter.status === 'decommissioned' };
  }

  private async findActive(
    manager: EntityManager,
    owner: CredentialOwner,
    lock = false,
  ): Promise<DeviceCredentialEntity> {
    const credential = await manager.findOne(DeviceCredentialEntity, {
      where: { ownerType: owner.type, ownerId: owner.id, revokedAt: IsNull() },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!credential) throw new NotFound('credential_not_found', 'Credential');
    return credential;
  }
}

function newSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

function credentialExists(): Conflict {
  return new Conflict(
    'credential_exists',
    'The device already has an active credential: rotate it (POST .../credentials/rotate) or revoke it first',
  );
}

export function toCredentialView(credential: DeviceCredentialEntity): CredentialDto {
  return {
    id: credential.id,
    ownerType: credential.ownerType,
    ownerId: credential.ownerId,
    deviceId: credential.deviceId,
    createdAt: credential.createdAt.toISOString(),
    rotatedAt: credential.rotatedAt?.toISOString() ?? null,
    previousValidUntil: credential.previousValidUntil?.toISOString() ?? null,
    revokedAt: credential.revokedAt?.toISOString() ?? null,
  };
}
