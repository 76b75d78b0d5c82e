import { Route } from '@angular/router';
import { Scope } from '@gridwatch/contracts';
import { authGuard, guestGuard, scopeGuard } from './auth/auth.guards';
import { provideCharts } from './shared/echarts.provider';
import type { StatusPageData } from './shared/status-page.component';

const statusPage = () =>
  import('./shared/status-page.component').then((m) => m.StatusPageComponent);

export const appRoutes: Route[] = [
  {
    path: 'login',
    title: 'Sign in · GridWatch',
    canActivate: [guestGuard],
    loadComponent: () => import('./auth/login.component').then((m) => m.LoginComponent),
  },
  {
    path: '',
    canActivate: [authGuard],
    loadComponent: () => import('./shell/shell.component').then((m) => m.ShellComponent),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'overview' },
      {
        path: 'overview',
        title: 'Dashboard · GridWatch',
        providers: [provideCharts()],
        loadComponent: () =>
          import('./devices/overview.component').then((m) => m.OverviewComponent),
      },
      {
        path: 'sites',
        canActivate: [scopeGuard(Scope.DevicesRead)],
        loadChildren: () => import('./sites/sites.routes').then((m) => m.SITE_ROUTES),
      },
      {
        path: 'gateways',
        canActivate: [scopeGuard(Scope.DevicesRead)],
        loadChildren: () => import('./gateways/gateways.routes').then((m) => m.GATEWAY_ROUTES),
      },
      {
        path: 'meters',
        canActivate: [scopeGuard(Scope.DevicesRead)],
        loadChildren: () => import('./meters/meters.routes').then((m) => m.METER_ROUTES),
      },
      {
        path: 'alerts',
        canActivate: [scopeGuard(Scope.AlertsRead)],
        loadChildren: () => import('./alerts/alerts.routes').then((m) => m.ALERT_ROUTES),
      },
      {
        path: 'tickets',
        canActivate: [scopeGuard(Scope.TicketsRead)],
        loadChildren: () => import('./tickets/tickets.routes').then((m) => m.TICKET_ROUTES),
      },
      {
        path: 'energy',
        canActivate: [scopeGuard(Scope.ReadingsRead)],
        loadChildren: () => import('./energy/energy.routes').then((m) => m.ENERGY_ROUTES),
      },
      {
        path: 'admin',
        canActivate: [scopeGuard(Scope.UsersManage)],
        loadChildren: () => import('./admin/admin.routes').then((m) => m.ADMIN_ROUTES),
      },
      {
        path: 'forbidden',
        title: 'Not allowed · GridWatch',
        loadComponent: statusPage,
        data: { kind: 'forbidden', title: 'You cannot open this page' } satisfies StatusPageData,
      },
      {
        path: '**',
        title: 'Not found · GridWatch',
        loadComponent: statusPage,
        data: { kind: 'not-found', title: 'Page not found' } satisfies StatusPageData,
      },
    ],
  },
];
