import { ExecutionContext, Injectable, CanActivate } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Scope } from '@gridwatch/contracts';
import { Forbidden, Unauthenticated } from '@gridwatch/server';
import { EventRecorder } from '@gridwatch/server';
import { IS_PUBLIC, REQUIRED_SCOPES } from './auth.decorators';
import type { AuthenticatedUser } from './authenticated-user';

function isPublic(reflector: Reflector, context: ExecutionContext): boolean {
  return (
    reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]) ===
    true
  );
}

/** Global: every HTTP handler needs a valid access token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    if (context.getType() !== 'http' || isPublic(this.reflector, context)) return true;
    return super.canActivate(context);
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false, info: unknown): TUser {
    if (error || !user) {
      const expired = info instanceof Error && info.name === 'TokenExpiredError';
      const missing = info instanceof Error && info.message === 'No auth token';
      if (missing)
        throw new Unauthenticated('unauthenticated', 'A bearer access token is required');
      throw new Unauthenticated(
        'invalid_token',
        expired ? 'The access token has expired' : 'The access token is invalid',
      );
    }
    return user;
  }
}

/** Global: checks @RequireScopes; a handler that declares nothing is refused (secure by default). */
@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly events: EventRecorder,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http' || isPublic(this.reflector, context)) return true;
    const required = this.reflector.getAllAndOverride<Scope[] | undefined>(REQUIRED_SCOPES, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context
      .switchToHttp()
      .getRequest<{ user: AuthenticatedUser; ip?: string; method: string; path: string }>();
    const missing =
      required === undefined
        ? ['(undeclared)']
        : required.filter((scope) => !request.user.scopes.includes(scope));
    if (missing.length === 0) return true;
    await this.events.record({
      organizationId: request.user.organizationId,
      type: 'permission.denied',
      actor: { user: request.user, ip: request.ip ?? null },
      data: { method: request.method, path: request.path, missingScopes: missing },
    });
    throw new Forbidden(`Missing scope: ${missing.join(', ')}`, { missingScopes: missing });
  }
}
