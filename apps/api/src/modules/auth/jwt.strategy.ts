import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { InjectRepository } from '@nestjs/typeorm';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Repository } from 'typeorm';
import { AccessTokenClaims, scopesOf } from '@gridwatch/contracts';
import { APP_CONFIG, AppConfig, UserEntity } from '@gridwatch/server';
import type { AuthenticatedUser } from './authenticated-user';

/**
 * Verifies the access JWT, then reloads the user so that a disabled account or a changed role
 * takes effect at once rather than when the token expires.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessTokenClaims): Promise<AuthenticatedUser | false> {
    const user = await this.users.findOneBy({ id: claims.sub });
    if (!user || user.disabled || user.organizationId !== claims.org) return false;
    return {
      id: user.id,
      organizationId: user.organizationId,
      email: user.email,
      role: user.role,
      scopes: scopesOf(user.role),
    };
  }
}
