import { Route } from '@angular/router';

export const ADMIN_ROUTES: Route[] = [
  { path: '', pathMatch: 'full', redirectTo: 'users' },
  {
    path: 'users',
    title: 'Users · GridWatch',
    loadComponent: () => import('./users.component').then((m) => m.UsersComponent),
  },
  {
    path: 'events',
    title: 'Event log · GridWatch',
    loadComponent: () => import('./event-log.component').then((m) => m.EventLogComponent),
  },
];
