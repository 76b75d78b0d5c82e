import { Route } from '@angular/router';
import { Scope } from '@gridwatch/contracts';
import { scopeGuard } from '../auth/auth.guards';

export const ALERT_ROUTES: Route[] = [
  {
    path: '',
    title: 'Alerts · GridWatch',
    loadComponent: () => import('./alert-list.component').then((m) => m.AlertListComponent),
  },
  {
    path: 'rules',
    title: 'Alert rules · GridWatch',
    loadComponent: () => import('./alert-rules.component').then((m) => m.AlertRulesComponent),
  },
  {
    path: 'rules/new',
    title: 'New alert rule · GridWatch',
    canActivate: [scopeGuard(Scope.AlertsWrite)],
    loadComponent: () =>
      import('./alert-rule-form.component').then((m) => m.AlertRuleFormComponent),
  },
  {
    path: 'rules/:id/edit',
    title: 'Edit alert rule · GridWatch',
    canActivate: [scopeGuard(Scope.AlertsWrite)],
    loadComponent: () =>
      import('./alert-rule-form.component').then((m) => m.AlertRuleFormComponent),
  },
  {
    path: ':id',
    title: 'Alert · GridWatch',
    loadComponent: () => import('./alert-detail.component').then((m) => m.AlertDetailComponent),
  },
];
