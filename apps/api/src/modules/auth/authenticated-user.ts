import type { Role, Scope } from '@gridwatch/contracts';

/** The caller, as the JWT strategy attaches it to the request. */
export interface AuthenticatedUser {
  id: string;
  organizationId: string;
  email: string;
  role: Role;
  scopes: readonly Scope[];
}

/** Who did something, for the audit trail. */
export interface RequestActor {
  user: AuthenticatedUser;
  ip: string | null;
}
