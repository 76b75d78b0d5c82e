import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { MeResponse, scopesOf, TokenPair } from '@gridwatch/contracts';
import {
  APP_CONFIG,
  AppConfig,
  DomainException,
  OrganizationEntity,
  Unauthenticated,
  UserEntity,
} from '@gridwatch/server';
import { EventRecorder } from '@gridwatch/server';
import { OrganizationsService } from '../organizations/organizations.service';
import type { AuthenticatedUser } from './authenticated-user';
import type { LoginDto } from './dto/login.dto';
import type { SignupDto } from './dto/signup.dto';
import { LoginThrottleService } from './login-throttle.service';
import { verifyPassword } from './passwords';
import { TokensService } from './tokens.service';

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(OrganizationEntity)
    private readonly organizations: Repository<OrganizationEntity>,
    private readonly tokens: TokensService,
    private readonly throttle: LoginThrottleService,
    private readonly events: EventRecorder,
    private readonly organizationsService: OrganizationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(dto: LoginDto, ip: string): Promise<TokenPair> {
    const email = dto.email.toLowerCase();
    await this.throttle.hit(ip, email);
    const user = await this.users.findOneBy({ email });
    const passwordOk = await verifyPassword(user?.passwordHash ?? null, dto.password);
    if (!user || !passwordOk || user.disabled) {
      await this.events.record({
        organizationId: user?.organizationId ?? null,
        type: 'user.login_failed',
        actor: { type: 'user', id: user?.id ?? null, ip },
        subject: user ? { type: 'user', id: user.id } : undefined,
        data: {
          email,
          reason: !user ? 'unknown_email' : !passwordOk ? 'bad_password' : 'disabled',
        },
      });
      throw new Unauthenticated('invalid_credentials', 'Email or password is incorrect');
    }
    await this.throttle.clear(email);
    await this.users.update(user.id, { lastLoginAt: new Date() });
    await this.events.record({
      organizationId: user.organizationId,
      type: 'user.login',
      actor: { user: toAuthenticated(user), ip },
    });
    return this.tokens.issue(user);
  }

  async refresh(refreshToken: string, ip: string): Promise<TokenPair> {
    const outcome = await this.tokens.rotate(refreshToken);
    if (outcome.kind === 'rotated') return outcome.tokens;
    await this.events.record({
      organizationId: outcome.user.organizationId,
      type: 'auth.refresh_token_reused',
      actor: { user: toAuthenticated(outcome.user), ip },
      data: { familyId: outcome.familyId },
    });
    throw new Unauthenticated(
      'refresh_token_reused',
      'This refresh token was already used; the session has been revoked. Sign in again.',
    );
  }

  async logout(refreshToken: string, ip: string): Promise<void> {
    const userId = await this.tokens.revokeSession(refreshToken);
    if (!userId) return;
    const user = await this.users.findOneBy({ id: userId });
    if (!user) return;
    await this.events.record({
      organizationId: user.organizationId,
      type: 'user.logout',
      actor: { user: toAuthenticated(user), ip },
    });
  }

  async me(caller: AuthenticatedUser): Promise<MeResponse> {
    const user = await this.users.findOneByOrFail({ id: caller.id });
    const organization = await this.organizations.findOneByOrFail({ id: user.organizationId });
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      organizationId: organization.id,
      organizationName: organization.name,
      lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
      scopes: [...scopesOf(user.role)],
    };
  }

  async signup(dto: SignupDto, ip: string): Promise<TokenPair> {
    if (!this.config.signupEnabled) {
      throw new DomainException('signup_disabled', 'Self-service sign-up is disabled here');
    }
    await this.throttle.hitSignup(ip);
    const { owner } = await this.organizationsService.createWithOwner(dto, ip);
    return this.tokens.issue(owner);
  }
}

export function toAuthenticated(user: UserEntity): AuthenticatedUser {
  return {
    id: user.id,
    organizationId: user.organizationId,
    email: user.email,
    role: user.role,
    scopes: scopesOf(user.role),
  };
}
