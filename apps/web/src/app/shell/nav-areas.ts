import { Scope } from '@gridwatch/contracts';

/** One entry of the side navigation: an area of the app and the scope it needs. */
export interface NavArea {
  path: string;
  label: string;
  scope: Scope;
  /** The area's API does not exist yet: the page says so. */
  comingSoon?: boolean;
}

export const NAV_AREAS: readonly NavArea[] = [
  { path: '/overview', label: 'Dashboard', scope: Scope.DevicesRead },
  { path: '/sites', label: 'Sites', scope: Scope.DevicesRead },
  { path: '/meters', label: 'Meters', scope: Scope.DevicesRead },
  { path: '/gateways', label: 'Gateways', scope: Scope.DevicesRead },
  { path: '/alerts', label: 'Alerts', scope: Scope.AlertsRead },
  { path: '/tickets', label: 'Tickets', scope: Scope.TicketsRead },
  { path: '/energy', label: 'Energy', scope: Scope.ReadingsRead },
  { path: '/admin', label: 'Admin', scope: Scope.UsersManage },
];

/** The areas a user holding `scopes` may open, in navigation order. */
export function visibleAreas(scopes: ReadonlySet<Scope>): NavArea[] {
  return NAV_AREAS.filter((area) => scopes.has(area.scope));
}
