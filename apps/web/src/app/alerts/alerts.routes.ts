import { Route } from '@angular/router';

export const ALERT_ROUTES: Route[] = [
  {
    path: '',
    title: 'Alerts · GridWatch',
    loadComponent: () => import('./alert-list.component').then((m) => m.AlertListComponent),
  },
  {
    path: ':id',
    title: 'Alert · GridWatch',
    loadComponent: () => import('./alert-detail.component').then((m) => m.AlertDetailComponent),
  },
];
