import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import {
  ALERT_STATUSES,
  RealtimeEvent,
  Scope,
  type AlertCounts,
  type AlertView,
} from '@gridwatch/contracts';
import { debounceTime, merge, tap } from 'rxjs';
import { AuthService } from '../auth/auth.service';
import { RealtimeSession } from '../realtime/realtime-session.service';
import { apiErrorMessage } from '../shared/api-error';
import { IfScopeDirective } from '../shared/if-scope.directive';
import { relativeTime } from '../shared/labels';
import { ListPaginatorComponent } from '../shared/list-paginator.component';
import { ListStateComponent } from '../shared/list-state.component';
import { ServerList } from '../shared/server-list';
import { AlertNoteDialogComponent, type AlertNoteDialogData } from './alert-note-dialog.component';
import { AlertPillComponent } from './alert-pill.component';
import { acknowledgeable, SEVERITY_ORDER } from './alert-rules';
import { AlertsApiService } from './alerts-api.service';

/** Live changes reload the list at most this often. */
const LIVE_RELOAD_MS = 500;

/** Every alert, newest first: filter by status and severity, counts, bulk acknowledge. */
@Component({
  selector: 'app-alert-list',
  imports: [
    RouterLink,
    MatTableModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatSelectModule,
    ListPaginatorComponent,
    ListStateComponent,
    IfScopeDirective,
    AlertPillComponent,
  ],
  template: `
    <div class="page-header">
      <div>
        <h1>Alerts</h1>
        <p class="page-subtitle">Raised by the alert rules; acknowledge what you are handling.</p>
      </div>
      <div class="page-actions">
        <a routerLink="rules" class="btn btn-secondary" data-testid="alert-rules-link">Rules</a>
        <button
          *appIfScope="Scope.AlertsWrite"
          type="button"
          class="btn btn-primary"
          [disabled]="toAcknowledge().length === 0 || acting()"
          (click)="acknowledgeSelected()"
          data-testid="bulk-acknowledge"
        >
          Acknowledge selected ({{ toAcknowledge().length }})
        </button>
      </div>
    </div>
    @if (counts(); as counts) {
      <ul class="counts" aria-label="Alert counts" data-testid="alert-counts">
        @for (status of statuses; track status) {
          <li>
            <app-alert-pill [value]="status" />
            <span [attr.data-testid]="'count-' + status">{{ counts.byStatus[status] }}</span>
          </li>
        }
        @for (severity of severities; track severity) {
          <li>
            <app-alert-pill [value]="severity" />
            <span [attr.data-testid]="'count-' + severity">{{ counts.bySeverity[severity] }}</span>
          </li>
        }
      </ul>
    }
    <div class="filters">
      <mat-form-field>
        <mat-label>Status</mat-label>
        <mat-select (selectionChange)="filter('status', $event.value)" data-testid="filter-status">
          <mat-option [value]="undefined">Any</mat-option>
          @for (status of statuses; track status) {
            <mat-option [value]="status">{{ status }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>Severity</mat-label>
        <mat-select
          (selectionChange)="filter('severity', $event.value)"
          data-testid="filter-severity"
        >
          <mat-option [value]="undefined">Any</mat-option>
          @for (severity of severities; track severity) {
            <mat-option [value]="severity">{{ severity }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
    </div>
    <app-list-state [listing]="list.listing()" noun="alerts">
      <div class="table-wrap card">
        <table mat-table [dataSource]="list.items()">
          <ng-container matColumnDef="select">
            <th mat-header-cell *matHeaderCellDef>
              <span class="visually-hidden">Select</span>
            </th>
            <td mat-cell *matCellDef="let alert">
              <mat-checkbox
                [checked]="selected().has(alert.id)"
                [disabled]="alert.status !== 'active'"
                (change)="toggle(alert.id, $event.checked)"
                [aria-label]="'Select ' + alert.title"
                data-testid="alert-select"
              />
            </td>
          </ng-container>
          <ng-container matColumnDef="title">
            <th mat-header-cell *matHeaderCellDef>Alert</th>
            <td mat-cell *matCellDef="let alert">
              <a [routerLink]="[alert.id]" data-testid="alert-link">{{ alert.title }}</a>
              <div class="muted">{{ alert.meterName }} · {{ when(alert) }}</div>
              <app-alert-pill class="narrow-only" [value]="alert.status" />
            </td>
          </ng-container>
          <ng-container matColumnDef="severity">
            <th mat-header-cell *matHeaderCellDef>Severity</th>
            <td mat-cell *matCellDef="let alert"><app-alert-pill [value]="alert.severity" /></td>
          </ng-container>
          <ng-container matColumnDef="status">
            <th mat-header-cell *matHeaderCellDef>Status</th>
            <td mat-cell *matCellDef="let alert" data-testid="alert-status">
              <app-alert-pill [value]="alert.status" />
            </td>
          </ng-container>
          <ng-container matColumnDef="triggeredAt">
            <th mat-header-cell *matHeaderCellDef>Triggered</th>
            <td mat-cell *matCellDef="let alert">{{ when(alert) }}</td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns()"></tr>
          <tr mat-row *matRowDef="let row; columns: columns()" data-testid="alert-row"></tr>
        </table>
        <app-list-paginator [list]="list" label="Pages of alerts" />
      </div>
    </app-list-state>
  `,
  styles: `
    .counts {
      display: flex;
      flex-wrap: wrap;
      gap: var(--space-3, 12px);
      list-style: none;
      padding: 0;
      margin: 0 0 var(--space-3, 12px);
    }
    .counts li {
      display: flex;
      align-items: center;
      gap: 4px;
    }
    .narrow-only {
      display: none;
    }
    @media (max-width: 599px) {
      .narrow-only {
        display: inline-block;
      }
      .mat-column-status,
      .mat-column-triggeredAt {
        display: none;
      }
    }
    .muted {
      font-size: 12px;
      color: var(--color-text-muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AlertListComponent {
  private readonly api = inject(AlertsApiService);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly canWrite = inject(AuthService).can(Scope.AlertsWrite);
  protected readonly Scope = Scope;
  protected readonly statuses = ALERT_STATUSES;
  protected readonly severities = SEVERITY_ORDER;
  protected readonly columns = signal(
    this.canWrite
      ? ['select', 'severity', 'title', 'status', 'triggeredAt']
      : ['severity', 'title', 'status', 'triggeredAt'],
  );
  protected readonly counts = signal<AlertCounts | null>(null);
  protected readonly selected = signal<ReadonlySet<string>>(new Set());
  protected readonly acting = signal(false);
  protected readonly list = new ServerList<AlertView>(
    (params) => this.api.list(params).pipe(tap((page) => this.counts.set(page.counts))),
    { filters: {}, sort: 'triggeredAt', order: 'desc', pageIndex: 0, pageSize: 25 },
  );
  protected readonly toAcknowledge = computed(() =>
    acknowledgeable(this.list.items(), this.selected()),
  );

  constructor() {
    const realtime = inject(RealtimeSession);
    merge(
      realtime.poll$,
      realtime.events(RealtimeEvent.AlertTriggered),
      realtime.events(RealtimeEvent.AlertUpdated),
      realtime.events(RealtimeEvent.AlertResolved),
    )
      .pipe(debounceTime(LIVE_RELOAD_MS), takeUntilDestroyed(inject(DestroyRef)))
      .subscribe(() => this.list.reload());
  }

  protected filter(name: 'status' | 'severity', value: string | undefined): void {
    this.selected.set(new Set());
    this.list.setFilter(name, value);
  }

  protected toggle(id: string, checked: boolean): void {
    this.selected.update((current) => {
      const next = new Set(current);
      if (checked) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  protected when(alert: AlertView): string {
    return relativeTime(alert.triggeredAt);
  }

  protected acknowledgeSelected(): void {
    const ids = this.toAcknowledge();
    if (ids.length === 0) return;
    const data: AlertNoteDialogData = {
      action: 'Acknowledge',
      subject: ids.length === 1 ? '1 alert' : `${ids.length} alerts`,
    };
    this.dialog
      .open<AlertNoteDialogComponent, AlertNoteDialogData, string>(AlertNoteDialogComponent, {
        data,
        width: '480px',
      })
      .afterClosed()
      .subscribe((note) => {
        if (note === undefined) return;
        this.acting.set(true);
        this.api.acknowledgeMany(ids, note).subscribe({
          next: (result) => {
            this.acting.set(false);
            this.selected.set(new Set());
            const skipped = result.skipped.length ? `, ${result.skipped.length} skipped` : '';
            this.snackBar.open(`${result.acknowledged.length} acknowledged${skipped}`, 'OK', {
              duration: 4000,
            });
            this.list.reload();
          },
          error: (error: unknown) => {
            this.acting.set(false);
            this.snackBar.open(`Acknowledge failed: ${apiErrorMessage(error)}`, 'OK');
          },
        });
      });
  }
}
