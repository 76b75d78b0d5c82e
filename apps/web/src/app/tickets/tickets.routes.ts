import { Route } from '@angular/router';

export const TICKET_ROUTES: Route[] = [
  {
    path: '',
    title: 'Tickets · GridWatch',
    loadComponent: () => import('./ticket-list.component').then((m) => m.TicketListComponent),
  },
  {
    path: ':id',
    title: 'Ticket · GridWatch',
    loadComponent: () => import('./ticket-detail.component').then((m) => m.TicketDetailComponent),
  },
];
