import { Route } from '@angular/router';
import { Scope } from '@gridwatch/contracts';
import { scopeGuard } from '../auth/auth.guards';

export const GATEWAY_ROUTES: Route[] = [
  {
    path: '',
    title: 'Gateways · GridWatch',
    loadComponent: () => import('./gateway-list.component').then((m) => m.GatewayListComponent),
  },
  {
    path: 'new',
    title: 'New gateway · GridWatch',
    canActivate: [scopeGuard(Scope.DevicesWrite)],
    loadComponent: () => import('./gateway-form.component').then((m) => m.GatewayFormComponent),
  },
  {
    path: ':id',
    title: 'Gateway · GridWatch',
    loadComponent: () => import('./gateway-detail.component').then((m) => m.GatewayDetailComponent),
  },
  {
    path: ':id/edit',
    title: 'Edit gateway · GridWatch',
    canActivate: [scopeGuard(Scope.DevicesWrite)],
    loadComponent: () => import('./gateway-form.component').then((m) => m.GatewayFormComponent),
  },
];
