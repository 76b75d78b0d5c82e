import { Route } from '@angular/router';
import { Scope } from '@gridwatch/contracts';
import { scopeGuard } from '../auth/auth.guards';

export const SITE_ROUTES: Route[] = [
  {
    path: '',
    title: 'Sites · GridWatch',
    loadComponent: () => import('./site-list.component').then((m) => m.SiteListComponent),
  },
  {
    path: 'new',
    title: 'New site · GridWatch',
    canActivate: [scopeGuard(Scope.DevicesWrite)],
    loadComponent: () => import('./site-form.component').then((m) => m.SiteFormComponent),
  },
  {
    path: ':id',
    title: 'Site · GridWatch',
    loadComponent: () => import('./site-detail.component').then((m) => m.SiteDetailComponent),
  },
  {
    path: ':id/edit',
    title: 'Edit site · GridWatch',
    canActivate: [scopeGuard(Scope.DevicesWrite)],
    loadComponent: () => import('./site-form.component').then((m) => m.SiteFormComponent),
  },
];
