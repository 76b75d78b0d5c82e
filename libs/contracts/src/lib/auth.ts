export const Scope = {
  DevicesRead: 'devices:read',
  DevicesWrite: 'devices:write',
  ReadingsRead: 'readings:read',
  AlertsRead: 'alerts:read',
  AlertsWrite: 'alerts:write',
  TicketsRead: 'tickets:read',
  TicketsWrite: 'tickets:write',
  SettingsRead: 'settings:read',
  SettingsWrite: 'settings:write',
  UsersManage: 'users:manage',
} as const;
export type Scope = (typeof Scope)[keyof typeof Scope];

export const Role = {
  Owner: 'owner',
  Operator: 'operator',
  Viewer: 'viewer',
  Support: 'support',
} as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ROLES: readonly Role[] = Object.values(Role);

export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  owner: Object.values(Scope),
  operator: [
    Scope.DevicesRead,
    Scope.DevicesWrite,
    Scope.ReadingsRead,
    Scope.AlertsRead,
    Scope.AlertsWrite,
    Scope.TicketsRead,
    Scope.TicketsWrite,
    Scope.SettingsRead,
  ],
  viewer: [
    Scope.DevicesRead,
    Scope.ReadingsRead,
    Scope.AlertsRead,
    Scope.TicketsRead,
    Scope.SettingsRead,
  ],
  support: [
    Scope.DevicesRead,
    Scope.ReadingsRead,
    Scope.AlertsRead,
    Scope.TicketsRead,
    Scope.TicketsWrite,
  ],
};

export function scopesOf(role: Role): readonly Scope[] {
  return ROLE_SCOPES[role];
}

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  organizationId: string;
  organizationName: string;
  lastLoginAt: string | null;
}

export interface MeResponse extends AuthUser {
  scopes: Scope[];
}

export interface TokenPair {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken: string;
  tokenType: 'Bearer';
}

/** Claims of the access JWT. */
export interface AccessTokenClaims {
  sub: string;
  org: string;
  role: Role;
  iat?: number;
  exp?: number;
}
