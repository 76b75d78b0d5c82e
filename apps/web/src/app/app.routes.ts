import { Route } from '@angular/router';
import { authGuard, guestGuard } from './auth/auth.guards';

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
        title: 'Overview · GridWatch',
        loadComponent: () =>
          import('./devices/overview.component').then((m) => m.OverviewComponent),
      },
    ],
  },
  { path: '**', redirectTo: 'overview' },
];
