import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { RealtimeEvent, type AlertView } from '@gridwatch/contracts';
import { debounceTime, forkJoin, map, merge, startWith, switchMap } from 'rxjs';
import { RealtimeSession } from '../realtime/realtime-session.service';
import { listing, type Listing } from '../shared/listing';
import { AlertPillComponent } from './alert-pill.component';
import { AlertsApiService } from './alerts-api.service';

/** How many open alerts of one meter are listed. */
const OPEN_ALERTS = 20;

/** A meter's open alerts (active, then acknowledged), newest first, again when one changes. */
@Component({
  selector: 'app-meter-open-alerts',
  imports: [DatePipe, RouterLink, AlertPillComponent],
  template: `
    <section class="card section" aria-labelledby="open-alerts-title">
      <h2 id="open-alerts-title">Open alerts</h2>
      @switch (alerts().state) {
        @case ('loading') {
          <p role="status" class="muted">Loading…</p>
        }
        @case ('failed') {
          <div class="alert alert-error" role="alert">
            The alerts could not be loaded: {{ failure() }}
          </div>
        }
        @default {
          @if (items().length === 0) {
            <p class="muted" data-testid="open-alerts-none">No open alerts.</p>
          } @else {
            <ul class="open-alerts" data-testid="open-alerts">
              @for (alert of items(); track alert.id) {
                <li data-testid="open-alert">
                  <app-alert-pill [value]="alert.severity" />
                  <app-alert-pill [value]="alert.status" />
                  <a [routerLink]="['/alerts', alert.id]">{{ alert.title }}</a>
                  <span class="muted">{{ alert.triggeredAt | date: 'short' }}</span>
                </li>
              }
            </ul>
          }
        }
      }
    </section>
  `,
  styles: `
    .open-alerts {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .open-alerts li {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--space-2);
      padding: var(--space-2) 0;
      border-bottom: 1px solid var(--color-border);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MeterOpenAlertsComponent {
  readonly meterId = input.required<string>();
  private readonly api = inject(AlertsApiService);
  private readonly live = inject(RealtimeSession);
  protected readonly alerts = signal<Listing<AlertView>>({ state: 'loading' });
  protected readonly items = computed(() => {
    const alerts = this.alerts();
    return alerts.state === 'ready' ? alerts.items : [];
  });
  protected readonly failure = computed(() => {
    const alerts = this.alerts();
    return alerts.state === 'failed' ? alerts.message : '';
  });

  constructor() {
    const changes = merge(
      this.live.poll$,
      merge(
        this.live.events(RealtimeEvent.AlertTriggered),
        this.live.events(RealtimeEvent.AlertUpdated),
        this.live.events(RealtimeEvent.AlertResolved),
      ).pipe(debounceTime(300)),
    );
    toObservable(this.meterId)
      .pipe(
        switchMap((meterId) =>
          changes.pipe(
            startWith(undefined),
            switchMap(() => listing(this.openAlerts(meterId))),
          ),
        ),
        takeUntilDestroyed(inject(DestroyRef)),
      )
      .subscribe((alerts) => this.alerts.set(alerts));
  }

  private openAlerts(meterId: string) {
    const page = (status: 'active' | 'acknowledged') =>
      this.api.list({ meterId, status, limit: OPEN_ALERTS });
    return forkJoin([page('active'), page('acknowledged')]).pipe(
      map(([active, acknowledged]) => ({
        items: [...active.items, ...acknowledged.items],
        total: active.total + acknowledged.total,
      })),
    );
  }
}
