import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { DataSource, IsNull } from 'typeorm';
import type { CredentialOwnerType, ErrorCode } from '@gridwatch/contracts';
import {
  APP_CONFIG,
  type AppConfig,
  DeviceCredentialEntity,
  DomainException,
  EventRecorder,
  GatewayEntity,
  MeterEntity,
  REDIS,
  SecretBox,
} from '@gridwatch/server';
import { constantTimeEqual, verifyDeviceSignature } from './device-signature';

/** What a device presents: the shared secret, or an HMAC of "timestamp.body". */
export interface DeviceProof {
  deviceId?: string;
  secret?: string;
  timestamp?: string;
  signature?: string;
  body: Buffer | string;
  ip: string | null;
  /**
   * When the signature was made, as far as the server knows: the replay window is centred on it.
   * Now unless told; a last will is judged against the start of its session (docs/mqtt.md).
   */
  signedAround?: Date;
  /**
   * Check the replay memory but do not write it yet: the caller commits the signature with
   * `commitSignature` once the message is safely delivered (MQTT, whose claim guards the gap).
   */
  deferReplayMemory?: boolean;
}

export type AuthenticatedDevice =
  | { kind: 'gateway'; deviceId: string; organizationId: string; gateway: GatewayEntity }
  | { kind: 'meter'; deviceId: string; organizationId: string; meter: MeterEntity };

export class DeviceAuthFailed extends DomainException {
  constructor(code: ErrorCode, message: string) {
    super(code, message);
  }
}

/**
 * Authenticates gateways and direct devices for REST and MQTT alike. Signatures are remembered
 * in Redis for the replay window, so a captured request cannot be sent again.
 */
@Injectable()
export class DeviceAuthenticator {
  private readonly box: SecretBox;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: EventRecorder,
  ) {
    this.box = new SecretBox(config.credentialsKey);
  }

  async authenticate(proof: DeviceProof, now = new Date()): Promise<AuthenticatedDevice> {
    try {
      return await this.verify(proof, now);
    } catch (error) {
      if (error instanceof DeviceAuthFailed) await this.recordRejection(proof, error);
      throw error;
    }
  }

  /** The currently valid plaintext secrets: the active one, plus the previous within its grace. */
  async secretsOf(deviceId: string, now: Date) {
    const credential = await this.db.manager.findOneBy(DeviceCredentialEntity, {
      deviceId,
      revokedAt: IsNull(),
    });
    if (!credential) return null;
    const secrets = [this.box.open(credential.secretSealed)];
    if (
      credential.previousSecretSealed &&
      credential.previousValidUntil &&
      credential.previousValidUntil > now
    ) {
      secrets.push(this.box.open(credential.previousSecretSealed));
    }
    return { credential, secrets };
  }

  private async verify(proof: DeviceProof, now: Date): Promise<AuthenticatedDevice> {
    if (!proof.deviceId || (!proof.secret && !proof.signature)) {
      throw new DeviceAuthFailed(
        'missing_device_credentials',
        'Send X-Device-ID with X-Device-Secret, or X-Timestamp and X-Signature',
      );
    }
    const found = await this.secretsOf(proof.deviceId, now);
    const secrets = found?.secrets ?? [];
    if (proof.signature) {
      const check = verifyDeviceSignature(proof, secrets, {
        seconds: this.config.replayWindowSeconds,
        aroundMs: (proof.signedAround ?? now).getTime(),
      });
      if (!check.ok) throw this.signatureFailure(check.code);
    } else if (!secrets.some((secret) => constantTimeEqual(secret, proof.secret ?? ''))) {
      throw this.signatureFailure('invalid_device_credentials');
    }
    if (!found) throw this.signatureFailure('invalid_device_credentials');
    const device = await this.owner(
      found.credential.ownerType,
      found.credential.ownerId,
      proof.deviceId,
    );
    // Remembered last: a lookup that fails (database down) must not burn the signature, or the
    // redelivery of the very same message would be refused as a replay (docs/faults.md).
    if (proof.signature && proof.deferReplayMemory) {
      await this.refuseRemembered(proof.deviceId, proof.signature);
    } else if (proof.signature) {
      await this.rememberSignature(proof.deviceId, proof.signature);
    }
    return device;
  }

  private signatureFailure(
    code: 'invalid_timestamp' | 'stale_timestamp' | 'invalid_device_credentials',
  ): DeviceAuthFailed {
    if (code === 'invalid_timestamp') {
      return new DeviceAuthFailed(code, 'X-Timestamp must be unix seconds');
    }
    if (code === 'stale_timestamp') {
      return new DeviceAuthFailed(
        code,
        `X-Timestamp is outside the ${this.config.replayWindowSeconds} s window; check the device clock`,
      );
    }
    return new DeviceAuthFailed(code, 'Unknown device or wrong credentials');
  }

  /**
   * Forgets a signature whose request could not be accepted (queue down), so the device's retry of
   * the very same signed message is not refused as a replay.
   */
  async forgetSignature(deviceId: string, signature: string): Promise<void> {
    await this.redis.del(this.replayKey(deviceId, signature)).catch(() => undefined);
  }

  /** Remembers a signature checked with `deferReplayMemory` once its message was delivered. */
  async commitSignature(deviceId: string, signature: string): Promise<void> {
    const key = this.replayKey(deviceId, signature);
    await this.redis.set(key, '1', 'EX', this.config.replayWindowSeconds * 2);
  }

  private replayKey(deviceId: string, signature: string): string {
    return `${this.config.queuePrefix}:replay:${deviceId}:${signature.toLowerCase()}`;
  }

  private async refuseRemembered(deviceId: string, signature: string): Promise<void> {
    if ((await this.redis.exists(this.replayKey(deviceId, signature))) > 0) {
      throw new DeviceAuthFailed('replayed', 'This signature was already used');
    }
  }

  private async rememberSignature(deviceId: string, signature: string): Promise<void> {
    const key = this.replayKey(deviceId, signature);
    const fresh = await this.redis.set(key, '1', 'EX', this.config.replayWindowSeconds * 2, 'NX');
    if (fresh !== 'OK') throw new DeviceAuthFailed('replayed', 'This signature was already used');
  }

  private async owner(
    type: CredentialOwnerType,
    id: string,
    deviceId: string,
  ): Promise<AuthenticatedDevice> {
    if (type === 'gateway') {
      const gateway = await this.db.manager.findOneByOrFail(GatewayEntity, { id });
      return { kind: 'gateway', deviceId, organizationId: gateway.organizationId, gateway };
    }
    const meter = await this.db.manager.findOneByOrFail(MeterEntity, { id });
    return { kind: 'meter', deviceId, organizationId: meter.organizationId, meter };
  }

  /** One audit event per device and reason per minute, however hard a device hammers. */
  private async recordRejection(proof: DeviceProof, error: DeviceAuthFailed): Promise<void> {
    const deviceId = proof.deviceId ?? 'unknown';
    const key = `${this.config.queuePrefix}:authfail:${deviceId}:${error.code}`;
    const count = await this.redis.incr(key).catch(() => 1);
    if (count > 1) return;
    await this.redis.expire(key, 60).catch(() => undefined);
    const credential = proof.deviceId
      ? await this.db.manager.findOneBy(DeviceCredentialEntity, { deviceId: proof.deviceId })
      : null;
    await this.events.record({
      organizationId: credential?.organizationId ?? null,
      type: 'ingest.rejected_auth',
      actor: { type: 'device', id: deviceId.slice(0, 200), ip: proof.ip },
      data: { reason: error.code },
    });
  }
}
