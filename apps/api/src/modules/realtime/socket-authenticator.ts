import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import type { Socket } from 'socket.io';
import { Repository } from 'typeorm';
import { RealtimeErrorCode, type AccessTokenClaims } from '@gridwatch/contracts';
import { UserEntity } from '@gridwatch/server';
import { toAuthenticated } from '../auth/auth.service';
import type { AuthenticatedUser } from '../auth/authenticated-user';

type Handshake = Socket['handshake'];

/** The caller of a socket, and when its access token stops being valid. */
export interface SocketUser extends AuthenticatedUser {
  /** Epoch milliseconds. */
  tokenExpiresAt: number;
}

/** Why a handshake was refused; its code becomes the client's `connect_error` message. */
export class RealtimeRefusal extends Error {
  constructor(
    readonly code: RealtimeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Checks the access JWT of a socket.io handshake, as the HTTP JwtStrategy does: signature,
 * expiry, then a fresh load of the user so a disabled account or changed role counts at once.
 */
@Injectable()
export class SocketAuthenticator {
  constructor(
    private readonly jwt: JwtService,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
  ) {}

  async authenticate(handshake: Handshake): Promise<SocketUser> {
    const token = tokenOf(handshake);
    if (!token) {
      throw new RealtimeRefusal(
        RealtimeErrorCode.Unauthenticated,
        'An access token is required (handshake auth.token or an Authorization bearer header)',
      );
    }
    const claims = await this.jwt
      .verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'] })
      .catch((error: Error) => {
        const expired = error.name === 'TokenExpiredError';
        throw new RealtimeRefusal(
          RealtimeErrorCode.InvalidToken,
          expired ? 'The access token has expired' : 'The access token is invalid',
        );
      });
    const user = await this.users.findOneBy({ id: claims.sub });
    if (!user || user.disabled || user.organizationId !== claims.org || claims.exp === undefined) {
      throw new RealtimeRefusal(RealtimeErrorCode.InvalidToken, 'The access token is invalid');
    }
    return { ...toAuthenticated(user), tokenExpiresAt: claims.exp * 1000 };
  }
}

/** Browsers pass the token in `auth`; other clients may use the Authorization header. Never the query string (it lands in logs). */
function tokenOf(handshake: Handshake): string | null {
  const fromAuth: unknown = handshake.auth['token'];
  if (typeof fromAuth === 'string' && fromAuth.length > 0) return fromAuth;
  const header = handshake.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1] ?? null;
}
