import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { TICKET_STATUSES, type TicketView } from '@gridwatch/contracts';
import { relativeTime } from '../shared/labels';
import { ListPaginatorComponent } from '../shared/list-paginator.component';
import { ListStateComponent } from '../shared/list-state.component';
import { PillComponent } from '../shared/pill.component';
import { ServerList } from '../shared/server-list';
import { slaBadge } from './ticket-rules';
import { TicketsApiService } from './tickets-api.service';

/** Every ticket, most recently updated first: search, filter by status, SLA badge. */
@Component({
  selector: 'app-ticket-list',
  imports: [
    RouterLink,
    ReactiveFormsModule,
    MatTableModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    ListPaginatorComponent,
    ListStateComponent,
    PillComponent,
  ],
  template: `
    <div class="page-header">
      <div>
        <h1>Tickets</h1>
        <p class="page-subtitle">Support requests, with their response and resolution targets.</p>
      </div>
    </div>
    <div class="filters">
      <mat-form-field>
        <mat-label>Search subject or number</mat-label>
        <input matInput type="search" [formControl]="search" data-testid="filter-q" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>Status</mat-label>
        <mat-select (selectionChange)="list.setFilter('status', $event.value)">
          <mat-option [value]="undefined">Any</mat-option>
          @for (status of statuses; track status) {
            <mat-option [value]="status">{{ status }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
    </div>
    <app-list-state [listing]="list.listing()" noun="tickets">
      <div class="table-wrap card">
        <table mat-table [dataSource]="list.items()">
          <ng-container matColumnDef="subject">
            <th mat-header-cell *matHeaderCellDef>Ticket</th>
            <td mat-cell *matCellDef="let ticket">
              <a [routerLink]="[ticket.id]" data-testid="ticket-link"
                >{{ ticket.number }} · {{ ticket.subject }}</a
              >
            </td>
          </ng-container>
          <ng-container matColumnDef="status">
            <th mat-header-cell *matHeaderCellDef>Status</th>
            <td mat-cell *matCellDef="let ticket">{{ ticket.status }} · {{ ticket.priority }}</td>
          </ng-container>
          <ng-container matColumnDef="sla">
            <th mat-header-cell *matHeaderCellDef>SLA</th>
            <td mat-cell *matCellDef="let ticket">
              <app-pill [tone]="sla(ticket).tone" data-testid="ticket-sla">{{
                sla(ticket).label
              }}</app-pill>
            </td>
          </ng-container>
          <ng-container matColumnDef="updatedAt">
            <th mat-header-cell *matHeaderCellDef>Updated</th>
            <td mat-cell *matCellDef="let ticket">{{ when(ticket) }}</td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let row; columns: columns" data-testid="ticket-row"></tr>
        </table>
        <app-list-paginator [list]="list" label="Pages of tickets" />
      </div>
    </app-list-state>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TicketListComponent {
  private readonly api = inject(TicketsApiService);
  protected readonly statuses = TICKET_STATUSES;
  protected readonly columns = ['subject', 'status', 'sla', 'updatedAt'];
  protected readonly search = new FormControl('', { nonNullable: true });
  protected readonly sla = slaBadge;
  protected readonly list = new ServerList<TicketView>((params) => this.api.list(params), {
    filters: {},
    sort: 'updatedAt',
    order: 'desc',
    pageIndex: 0,
    pageSize: 25,
  });

  constructor() {
    this.list.followSearch(this.search);
  }

  protected when(ticket: TicketView): string {
    return relativeTime(ticket.updatedAt);
  }
}
