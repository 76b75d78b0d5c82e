import { HttpErrorResponse, HttpStatusCode } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  OnInit,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import {
  type GatewayView,
  MeterStatus,
  type MeterView,
  type Page,
  Scope,
  type SiteView,
} from '@gridwatch/contracts';
import { catchError, forkJoin, map, Observable, of } from 'rxjs';
import { apiErrorMessage } from '../shared/api-error';
import { IfScopeDirective } from '../shared/if-scope.directive';
import { meterKindLabel, relativeTime } from '../shared/labels';
import { DevicesApiService } from './devices-api.service';
import { MeterStatusBadgeComponent } from './meter-status-badge.component';

/** One list the page asked for: still loading, answered, not served by this API, or failed. */
export type Listing<T> =
  | { state: 'loading' }
  | { state: 'ready'; items: T[]; total: number }
  | { state: 'unavailable' }
  | { state: 'failed'; message: string };

/** The one status move the overview offers: into maintenance and back out of it. */
interface MaintenanceAction {
  label: string;
  to: MeterStatus;
}

interface MeterRow {
  meter: MeterView;
  kind: string;
  siteName: string;
  lastSeen: string;
  action: MaintenanceAction | null;
}

@Component({
  selector: 'app-overview',
  imports: [IfScopeDirective, MeterStatusBadgeComponent],
  templateUrl: './overview.component.html',
  styleUrl: './overview.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OverviewComponent implements OnInit {
  private readonly devices = inject(DevicesApiService);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly Scope = Scope;
  protected readonly sites = signal<Listing<SiteView>>({ state: 'loading' });
  protected readonly gateways = signal<Listing<GatewayView>>({ state: 'loading' });
  protected readonly meters = signal<Listing<MeterView>>({ state: 'loading' });
  protected readonly pendingMeterId = signal<string | null>(null);
  protected readonly actionError = signal<string | null>(null);

  protected readonly counts = computed(() => [
    { key: 'sites', label: 'Sites', value: countOf(this.sites()) },
    { key: 'gateways', label: 'Gateways', value: countOf(this.gateways()) },
    { key: 'meters', label: 'Meters', value: countOf(this.meters()) },
  ]);

  protected readonly meterRows = computed<MeterRow[]>(() => {
    const meters = this.meters();
    if (meters.state !== 'ready') return [];
    const sites = this.sites();
    const siteNames = new Map(
      sites.state === 'ready' ? sites.items.map((s) => [s.id, s.name]) : [],
    );
    const now = new Date();
    return meters.items.map((meter) => ({
      meter,
      kind: meterKindLabel(meter.kind),
      siteName: siteNames.get(meter.siteId) ?? '—',
      lastSeen: relativeTime(meter.lastSeenAt, now),
      action: maintenanceAction(meter.status),
    }));
  });

  protected readonly failures = computed(() => {
    const messages = [this.sites(), this.gateways(), this.meters()].flatMap((listing) =>
      listing.state === 'failed' ? [listing.message] : [],
    );
    return [...new Set(messages)];
  });

  ngOnInit(): void {
    forkJoin({
      sites: listing(this.devices.listSites()),
      gateways: listing(this.devices.listGateways()),
      meters: listing(this.devices.listMeters()),
    })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe(({ sites, gateways, meters }) => {
        this.sites.set(sites);
        this.gateways.set(gateways);
        this.meters.set(meters);
      });
  }

  protected changeStatus(meter: MeterView, to: MeterStatus): void {
    if (this.pendingMeterId()) return;
    this.pendingMeterId.set(meter.id);
    this.actionError.set(null);
    this.devices
      .changeMeterStatus(meter.id, to)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (updated) => {
          this.replaceMeter(updated);
          this.pendingMeterId.set(null);
        },
        error: (error: unknown) => {
          this.actionError.set(apiErrorMessage(error));
          this.pendingMeterId.set(null);
        },
      });
  }

  private replaceMeter(updated: MeterView): void {
    this.meters.update((listing) =>
      listing.state === 'ready'
        ? { ...listing, items: listing.items.map((m) => (m.id === updated.id ? updated : m)) }
        : listing,
    );
  }
}

function maintenanceAction(status: MeterStatus): MaintenanceAction | null {
  switch (status) {
    case MeterStatus.Online:
    case MeterStatus.Offline:
      return { label: 'Start maintenance', to: MeterStatus.Maintenance };
    case MeterStatus.Maintenance:
      // Back as offline: whether it is online is for its readings to show, not for a user to claim.
      return { label: 'End maintenance', to: MeterStatus.Offline };
    default:
      return null;
  }
}

function listing<T>(source: Observable<Page<T>>): Observable<Listing<T>> {
  return source.pipe(
    map((page): Listing<T> => ({ state: 'ready', items: page.items, total: page.total })),
    catchError((error: unknown) =>
      of<Listing<T>>(
        isMissingEndpoint(error)
          ? { state: 'unavailable' }
          : { state: 'failed', message: apiErrorMessage(error) },
      ),
    ),
  );
}

/** An API that does not serve the list yet answers 404; the page shows an empty state for it. */
function isMissingEndpoint(error: unknown): boolean {
  return error instanceof HttpErrorResponse && error.status === HttpStatusCode.NotFound;
}

function countOf(listing: Listing<unknown>): string {
  switch (listing.state) {
    case 'loading':
      return '…';
    case 'ready':
      return String(listing.total);
    default:
      return '—';
  }
}
