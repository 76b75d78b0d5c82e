import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import { Scope, type TicketSnapshotView, type TicketView } from '@gridwatch/contracts';
import { formatValue } from '../meters/chart-options';
import { apiErrorMessage } from '../shared/api-error';
import { asLoaded, type Loaded } from '../shared/detail-load';
import { IfScopeDirective } from '../shared/if-scope.directive';
import { LoadStateComponent } from '../shared/load-state.component';
import { TicketsApiService } from './tickets-api.service';

/** A ticket's device snapshots: the versions, one shown in full, and "capture now". */
@Component({
  selector: 'app-ticket-snapshots',
  imports: [DatePipe, RouterLink, IfScopeDirective, LoadStateComponent],
  template: `
    <section class="card section" aria-labelledby="snapshots-title">
      <div class="head">
        <h2 id="snapshots-title">Device snapshots</h2>
        @if (ticket().meterId; as meterId) {
          <button
            *appIfScope="Scope.TicketsWrite"
            type="button"
            class="btn btn-secondary btn-small"
            [disabled]="capturing()"
            (click)="capture(meterId)"
            data-testid="snapshot-capture"
          >
            Capture the meter now
          </button>
        }
      </div>
      <app-load-state [loaded]="snapshots()" noun="snapshots" />
      @if (items().length > 0) {
        <div class="versions" role="tablist" aria-label="Snapshot versions">
          @for (snapshot of items(); track snapshot.id) {
            <button
              type="button"
              role="tab"
              class="btn btn-small"
              [class.btn-primary]="snapshot.version === shown()?.version"
              [class.btn-secondary]="snapshot.version !== shown()?.version"
              [attr.aria-selected]="snapshot.version === shown()?.version"
              (click)="chosen.set(snapshot.version)"
              [attr.data-testid]="'snapshot-v' + snapshot.version"
            >
              v{{ snapshot.version }} · {{ snapshot.capturedAt | date: 'short' }}
            </button>
          }
        </div>
      } @else if (snapshots().state === 'ready') {
        <p class="muted" data-testid="snapshots-none">
          No snapshot yet.
          @if (!ticket().meterId) {
            The ticket names no meter to capture.
          }
        </p>
      }
      @if (shown(); as snapshot) {
        @let doc = snapshot.document;
        <div class="snapshot" role="tabpanel" data-testid="snapshot">
          <dl class="details-grid">
            <div>
              <dt>Meter</dt>
              <dd>
                <a [routerLink]="['/meters', doc.meter.id]">{{ doc.meter.name }}</a>
                ({{ doc.meter.status }})
              </dd>
            </div>
            <div>
              <dt>Captured</dt>
              <dd>{{ doc.capturedAt | date: 'medium' }}</dd>
            </div>
            <div>
              <dt>Last seen</dt>
              <dd>
                {{ doc.meter.lastSeenAt ? (doc.meter.lastSeenAt | date: 'medium') : 'Never' }}
              </dd>
            </div>
            @if (doc.gateway; as gateway) {
              <div>
                <dt>Gateway</dt>
                <dd>{{ gateway.name }} · {{ gateway.protocol }} ({{ gateway.status }})</dd>
              </div>
            }
          </dl>
          <h3>Latest values</h3>
          <ul class="plain">
            @for (reading of doc.latestReadings; track reading.parameter) {
              <li>
                <span>{{ reading.parameter }}</span>
                <strong>{{ formatValue(reading.value) }} {{ reading.unit }}</strong>
                @if (reading.quality !== 'good') {
                  <span class="muted">{{ reading.quality }}</span>
                }
              </li>
            } @empty {
              <li class="muted">No readings.</li>
            }
          </ul>
          <h3>Open alerts</h3>
          <ul class="plain">
            @for (alert of doc.openAlerts; track alert.id) {
              <li>
                <a [routerLink]="['/alerts', alert.id]">{{ alert.title }}</a>
                <span class="muted">{{ alert.severity }} · {{ alert.status }}</span>
              </li>
            } @empty {
              <li class="muted">None.</li>
            }
          </ul>
          <h3>Data quality issues</h3>
          <ul class="plain">
            @for (issue of doc.dataQualityIssues; track issue.id) {
              <li>
                <span>{{ issue.message }}</span>
                <span class="muted">{{ issue.resolvedAt ? 'resolved' : 'open' }}</span>
              </li>
            } @empty {
              <li class="muted">None.</li>
            }
          </ul>
        </div>
      }
    </section>
  `,
  styles: `
    .head {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: var(--space-2);
      margin-bottom: var(--space-3);
    }
    .head h2 {
      margin: 0;
    }
    .versions {
      display: flex;
      flex-wrap: wrap;
      gap: var(--space-2);
      margin-bottom: var(--space-3);
    }
    h3 {
      font-size: 15px;
      margin: var(--space-3) 0 var(--space-1);
    }
    .plain {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .plain li {
      display: flex;
      flex-wrap: wrap;
      gap: var(--space-2);
      padding: var(--space-1) 0;
      border-bottom: 1px solid var(--color-border);
      overflow-wrap: anywhere;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TicketSnapshotsComponent {
  private readonly api = inject(TicketsApiService);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);

  readonly ticket = input.required<TicketView>();

  protected readonly Scope = Scope;
  protected readonly formatValue = formatValue;
  protected readonly snapshots = signal<Loaded<TicketSnapshotView[]>>({ state: 'loading' });
  protected readonly items = computed(() => {
    const snapshots = this.snapshots();
    return snapshots.state === 'ready' ? snapshots.value : [];
  });
  /** The version picked; the newest when none is. */
  protected readonly chosen = signal<number | null>(null);
  protected readonly shown = computed(() => {
    const items = this.items();
    const chosen = this.chosen();
    return items.find((item) => item.version === chosen) ?? items.at(-1) ?? null;
  });
  protected readonly capturing = signal(false);

  constructor() {
    const ticketId = computed(() => this.ticket().id);
    effect(() => {
      const id = ticketId();
      untracked(() => this.load(id));
    });
  }

  protected capture(meterId: string): void {
    this.capturing.set(true);
    this.api
      .captureSnapshot(this.ticket().id, meterId)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (snapshot) => {
          this.capturing.set(false);
          this.snapshots.update((state) =>
            state.state === 'ready'
              ? { state: 'ready', value: [...state.value, snapshot] }
              : { state: 'ready', value: [snapshot] },
          );
          this.chosen.set(snapshot.version);
        },
        error: (error: unknown) => {
          this.capturing.set(false);
          this.snackBar.open(`No snapshot was taken: ${apiErrorMessage(error)}`, 'OK');
        },
      });
  }

  private load(id: string): void {
    this.snapshots.set({ state: 'loading' });
    this.chosen.set(null);
    asLoaded(this.api.snapshots(id))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((loaded) =>
        this.snapshots.set(
          loaded.state === 'ready'
            ? {
                state: 'ready',
                value: [...loaded.value.items].sort((a, b) => a.version - b.version),
              }
            : loaded,
        ),
      );
  }
}
