import { Route } from '@angular/router';
import { provideCharts } from '../shared/echarts.provider';

export const ENERGY_ROUTES: Route[] = [
  {
    path: '',
    title: 'Energy · GridWatch',
    providers: [provideCharts()],
    loadComponent: () => import('./energy-page.component').then((m) => m.EnergyPageComponent),
  },
];
