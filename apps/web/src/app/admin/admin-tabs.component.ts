import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatTabsModule } from '@angular/material/tabs';
import { RouterLink, RouterLinkActive } from '@angular/router';

/** The admin area's two pages as tabs. */
@Component({
  selector: 'app-admin-tabs',
  imports: [MatTabsModule, RouterLink, RouterLinkActive],
  template: `
    <nav mat-tab-nav-bar [tabPanel]="panel" aria-label="Admin">
      <a
        mat-tab-link
        routerLink="/admin/users"
        routerLinkActive
        #users="routerLinkActive"
        [active]="users.isActive"
        >Users</a
      >
      <a
        mat-tab-link
        routerLink="/admin/events"
        routerLinkActive
        #events="routerLinkActive"
        [active]="events.isActive"
        >Event log</a
      >
    </nav>
    <mat-tab-nav-panel #panel />
  `,
  styles: `
    :host {
      display: block;
      margin-bottom: var(--space-4);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AdminTabsComponent {}
