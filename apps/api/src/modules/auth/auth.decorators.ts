import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import type { Scope } from '@gridwatch/contracts';
import { ApiErrors } from '../../common/api-errors.decorator';
import type { AuthenticatedUser, RequestActor } from './authenticated-user';

export const IS_PUBLIC = 'gridwatch:public';
export const REQUIRED_SCOPES = 'gridwatch:scopes';

/** Deliberately public: no user token (login, signup, device endpoints authenticate otherwise). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * The scopes a handler needs; with none, any signed-in user may call it. Every non-public
 * handler must carry this decorator: the guard refuses handlers that declare nothing.
 */
export function RequireScopes(...scopes: Scope[]) {
  const errors = scopes.length > 0 ? ApiErrors(401, 403) : ApiErrors(401);
  return applyDecorators(
    SetMetadata(REQUIRED_SCOPES, scopes),
    ApiBearerAuth('jwt'),
    ApiExtension('x-required-scopes', scopes),
    errors,
  );
}

interface AuthenticatedRequest {
  user: AuthenticatedUser;
  ip?: string;
}

export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().user,
);

/** The caller plus the request's IP, for services that write the audit trail. */
export const Actor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): RequestActor => {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    return { user: request.user, ip: request.ip ?? null };
  },
);
