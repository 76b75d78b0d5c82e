import { Route } from '@angular/router';
import { Scope } from '@gridwatch/contracts';
import { scopeGuard } from '../auth/auth.guards';
import { provideCharts } from '../shared/echarts.provider';

export const METER_ROUTES: Route[] = [
  {
    path: '',
    title: 'Meters · GridWatch',
    loadComponent: () => import('./meter-list.component').then((m) => m.MeterListComponent),
  },
  {
    path: 'new',
    title: 'New meter · GridWatch',
    canActivate: [scopeGuard(Scope.DevicesWrite)],
    loadComponent: () => import('./meter-form.component').then((m) => m.MeterFormComponent),
  },
  {
    path: ':id',
    title: 'Meter · GridWatch',
    providers: [provideCharts()],
    loadComponent: () => import('./meter-page.component').then((m) => m.MeterPageComponent),
  },
  {
    path: ':id/edit',
    title: 'Edit meter · GridWatch',
    canActivate: [scopeGuard(Scope.DevicesWrite)],
    loadComponent: () => import('./meter-form.component').then((m) => m.MeterFormComponent),
  },
];
