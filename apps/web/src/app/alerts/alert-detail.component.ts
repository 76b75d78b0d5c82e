import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import { Scope, type AlertDetailView } from '@gridwatch/contracts';
import { apiErrorMessage } from '../shared/api-error';
import { loadFromRoute, type Loaded } from '../shared/detail-load';
import { IfScopeDirective } from '../shared/if-scope.directive';
import { AlertNoteDialogComponent, type AlertNoteDialogData } from './alert-note-dialog.component';
import { AlertPillComponent } from './alert-pill.component';
import { alertActions, timelineText, valueText, type AlertAction } from './alert-rules';
import { AlertsApiService } from './alerts-api.service';

const ACTION_LABELS: Record<AlertAction, string> = {
  acknowledge: 'Acknowledge',
  resolve: 'Resolve',
};

/** One alert: what fired, its timeline and deliveries, acknowledge / resolve with a note. */
@Component({
  selector: 'app-alert-detail',
  imports: [RouterLink, DatePipe, IfScopeDirective, AlertPillComponent],
  template: `
    <p><a routerLink="/alerts">← All alerts</a></p>
    @switch (alert().state) {
      @case ('loading') {
        <p role="status">Loading the alert…</p>
      }
      @case ('failed') {
        <div class="alert alert-error" role="alert" data-testid="detail-error">{{ failure() }}</div>
      }
    }
    @if (value(); as alert) {
      <div class="page-header">
        <div>
          <h1 data-testid="alert-title">{{ alert.title }}</h1>
          <p class="page-subtitle">{{ alert.message }}</p>
        </div>
        <div class="page-actions">
          <app-alert-pill [value]="alert.severity" />
          <span data-testid="alert-detail-status"><app-alert-pill [value]="alert.status" /></span>
          <ng-container *appIfScope="Scope.AlertsWrite">
            @for (action of actions(); track action) {
              <button
                type="button"
                class="btn"
                [class.btn-primary]="action === 'acknowledge'"
                [class.btn-secondary]="action !== 'acknowledge'"
                [disabled]="acting()"
                (click)="act(alert, action)"
                [attr.data-testid]="'alert-' + action"
              >
                {{ labels[action] }}
              </button>
            }
          </ng-container>
        </div>
      </div>
      <section class="card section">
        <dl class="details-grid">
          <div>
            <dt>Meter</dt>
            <dd>
              <a [routerLink]="['/meters', alert.meterId]">{{ alert.meterName }}</a>
            </dd>
          </div>
          <div>
            <dt>Rule</dt>
            <dd>{{ alert.ruleName }}</dd>
          </div>
          <div>
            <dt>Value</dt>
            <dd>{{ value_(alert) }}</dd>
          </div>
          <div>
            <dt>Occurrences</dt>
            <dd>{{ alert.occurrences }}</dd>
          </div>
          <div>
            <dt>Escalation level</dt>
            <dd>{{ alert.escalationLevel }}</dd>
          </div>
          <div>
            <dt>Triggered</dt>
            <dd>{{ alert.triggeredAt | date: 'medium' }}</dd>
          </div>
        </dl>
      </section>
      <section class="card section" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        <ol class="timeline" data-testid="alert-timeline">
          @for (entry of alert.timeline; track $index) {
            <li>
              <time [attr.datetime]="entry.at">{{ entry.at | date: 'medium' }}</time>
              <span>{{ text(entry) }}</span>
            </li>
          }
        </ol>
      </section>
    }
  `,
  styles: `
    .timeline {
      list-style: none;
      padding: 0;
      margin: 0;
    }
    .timeline li {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 12px;
      padding: 6px 0;
      border-bottom: 1px solid var(--color-border, rgba(0, 0, 0, 0.12));
    }
    .timeline time {
      min-width: 12rem;
      color: var(--color-text-muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AlertDetailComponent {
  private readonly api = inject(AlertsApiService);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly Scope = Scope;
  protected readonly labels = ACTION_LABELS;
  protected readonly text = timelineText;
  protected readonly value_ = valueText;
  private readonly loaded = loadFromRoute((id) => this.api.get(id));
  /** The alert after an action, until the route loads another. */
  private readonly updated = signal<AlertDetailView | null>(null);
  protected readonly alert = computed<Loaded<AlertDetailView>>(() => {
    const loaded = this.loaded();
    const updated = this.updated();
    if (loaded.state === 'ready' && updated?.id === loaded.value.id) {
      return { state: 'ready', value: updated };
    }
    return loaded;
  });
  protected readonly value = computed(() => {
    const alert = this.alert();
    return alert.state === 'ready' ? alert.value : null;
  });
  protected readonly failure = computed(() => {
    const alert = this.alert();
    return alert.state === 'failed' ? alert.message : '';
  });
  protected readonly actions = computed(() => {
    const alert = this.value();
    return alert ? alertActions(alert.status) : [];
  });
  protected readonly acting = signal(false);

  protected act(alert: AlertDetailView, action: AlertAction): void {
    const data: AlertNoteDialogData = { action: ACTION_LABELS[action], subject: alert.title };
    this.dialog
      .open<AlertNoteDialogComponent, AlertNoteDialogData, string>(AlertNoteDialogComponent, {
        data,
        width: '480px',
      })
      .afterClosed()
      .subscribe((note) => {
        if (note === undefined) return;
        this.acting.set(true);
        const request =
          action === 'acknowledge'
            ? this.api.acknowledge(alert.id, note)
            : this.api.resolve(alert.id, note);
        request.subscribe({
          next: () => this.reload(alert.id),
          error: (error: unknown) => {
            this.acting.set(false);
            this.snackBar.open(`${ACTION_LABELS[action]} failed: ${apiErrorMessage(error)}`, 'OK');
          },
        });
      });
  }

  /** After an action: the alert with its new timeline entry. */
  private reload(id: string): void {
    this.api.get(id).subscribe({
      next: (detail) => {
        this.acting.set(false);
        this.updated.set(detail);
      },
      error: (error: unknown) => {
        this.acting.set(false);
        this.snackBar.open(apiErrorMessage(error), 'OK');
      },
    });
  }
}
