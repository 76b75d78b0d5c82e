import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { AccessTokenClaims, TokenPair } from '@gridwatch/contracts';
import {
  APP_CONFIG,
  AppConfig,
  RefreshTokenEntity,
  Unauthenticated,
  UserEntity,
} from '@gridwatch/server';

export type RefreshOutcome =
  | { kind: 'rotated'; user: UserEntity; tokens: TokenPair }
  | { kind: 'reused'; user: UserEntity; familyId: string };

/** Access JWTs and rotating refresh tokens ("<id>.<secret>", only a hash of the secret stored). */
@Injectable()
export class TokensService {
  constructor(
    private readonly jwt: JwtService,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(user: UserEntity, familyId?: string, manager = this.db.manager): Promise<TokenPair> {
    const claims: AccessTokenClaims = { sub: user.id, org: user.organizationId, role: user.role };
    const accessToken = await this.jwt.signAsync(claims, {
      expiresIn: this.config.accessTokenTtlSeconds,
    });
    const secret = randomBytes(32).toString('base64url');
    const row = await manager.save(
      manager.create(RefreshTokenEntity, {
        userId: user.id,
        familyId: familyId ?? randomUUID(),
        tokenHash: sha256(secret),
        expiresAt: new Date(Date.now() + this.config.refreshTokenTtlSeconds * 1000),
      }),
    );
    return {
      accessToken,
      expiresIn: this.config.accessTokenTtlSeconds,
      refreshToken: `${row.id}.${secret}`,
      tokenType: 'Bearer',
    };
  }

  /**
   * Rotates a refresh token. Presenting one that was already rotated means it leaked: the whole
   * family is revoked and the caller learns it was reused.
   */
  async rotate(token: string): Promise<RefreshOutcome> {
    return this.db.transaction(async (manager) => {
      // The row lock makes two concurrent refreshes of one token rotate it only once.
      const row = await this.find(token, manager, true);
      const user = await manager.findOneBy(UserEntity, { id: row.userId });
      if (!user || user.disabled) throw invalidRefreshToken();
      if (row.revokedAt) {
        await this.revokeFamily(row.familyId, manager);
        return { kind: 'reused', user, familyId: row.familyId };
      }
      if (row.expiresAt.getTime() <= Date.now()) throw invalidRefreshToken();
      const tokens = await this.issue(user, row.familyId, manager);
      await manager.update(RefreshTokenEntity, row.id, {
        revokedAt: new Date(),
        replacedById: tokens.refreshToken.split('.')[0] ?? null,
      });
      return { kind: 'rotated', user, tokens };
    });
  }

  /** Ends the session the token belongs to. Unknown tokens are ignored: logout never fails. */
  async revokeSession(token: string): Promise<string | null> {
    try {
      const row = await this.find(token, this.db.manager);
      await this.revokeFamily(row.familyId, this.db.manager);
      return row.userId;
    } catch {
      return null;
    }
  }

  async revokeAllOf(userId: string, manager: EntityManager = this.db.manager): Promise<void> {
    await manager.update(
      RefreshTokenEntity,
      { userId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
  }

  private async find(
    token: string,
    manager: EntityManager,
    lock = false,
  ): Promise<RefreshTokenEntity> {
    const [id, secret] = token.split('.');
    if (!id || !secret || !/^[0-9a-f-]{36}$/i.test(id)) throw invalidRefreshToken();
    const row = await manager.findOne(RefreshTokenEntity, {
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!row || !safeEqual(row.tokenHash, sha256(secret))) throw invalidRefreshToken();
    return row;
  }

  private async revokeFamily(familyId: string, manager: EntityManager): Promise<void> {
    await manager.update(
      RefreshTokenEntity,
      { familyId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
  }
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function safeEqual(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function invalidRefreshToken(): Unauthenticated {
  return new Unauthenticated('invalid_token', 'The refresh token is invalid or expired');
}
