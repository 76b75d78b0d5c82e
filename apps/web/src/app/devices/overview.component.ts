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
  type AlertView,
  type DeviceStatusChangedEvent,
  type GatewayStatusChangedEvent,
  type GatewayView,
  MeterStatus,
  type MeterView,
  type EventView,
  RealtimeEvent,
  type ReadingReceivedEvent,
  Scope,
  type SiteView,
} from '@gridwatch/contracts';
import {
  catchError,
  debounceTime,
  filter,
  forkJoin,
  from,
  interval,
  map,
  merge,
  mergeMap,
  of,
  startWith,
  Subject,
  switchMap,
} from 'rxjs';
import { AlertPillComponent } from '../alerts/alert-pill.component';
import { AlertsApiService } from '../alerts/alerts-api.service';
import { EnergyApiService } from '../energy/energy-api.service';
import { namedBarsOptions } from '../meters/chart-options';
import { ReadingsApiService } from '../meters/readings-api.service';
import { ThemeService } from '../shared/theme.service';
import { NgxEchartsDirective } from 'ngx-echarts';
import {
  activeBySeverity,
  formatPower,
  sitePower,
  withPower,
  type PowerReading,
} from './dashboard-figures';
import { RealtimeSession } from '../realtime/realtime-session.service';
import { apiErrorMessage } from '../shared/api-error';
import { listing, type Listing } from '../shared/listing';
import { EventsApiService } from '../events/events-api.service';
import { AuthService } from '../auth/auth.service';
import { RouterLink } from '@angular/router';
import { DatePipe } from '@angular/common';
import { IfScopeDirective } from '../shared/if-scope.directive';
import { meterKindLabel, relativeTime } from '../shared/labels';
import { DevicesApiService } from './devices-api.service';
import { MeterStatusBadgeComponent } from './meter-status-badge.component';

/** The one status move the overview offers: into maintenance and back out of it. */
interface MaintenanceAction {
  label: string;
  to: MeterStatus;
}

/** How many audit events the dashboard shows. */
const RECENT_EVENTS = 8;

/** The live events that also write an audit event: each one refreshes "Recent events". */
const LOGGED_EVENTS = [
  RealtimeEvent.DeviceStatusChanged,
  RealtimeEvent.GatewayStatusChanged,
  RealtimeEvent.AlertTriggered,
  RealtimeEvent.AlertUpdated,
  RealtimeEvent.AlertResolved,
  RealtimeEvent.TicketCreated,
  RealtimeEvent.TicketAssigned,
  RealtimeEvent.TicketStatusChanged,
] as const;

/** How often "last seen" texts are recomputed ("Just now" becomes "1 min ago"). */
const CLOCK_TICK_MS = 30_000;

/** Today's energy per site is asked again this often, and at most this often on readings. */
const ENERGY_REFRESH_MS = 60_000;
const ENERGY_ON_READINGS_MS = 15_000;

/** Active alerts the dashboard counts (the API's page limit). */
const ACTIVE_ALERTS = 200;

/** Today's energy (kWh) by site id; null where the figure could not be had. */
type TodayEnergy =
  { state: 'loading' } | { state: 'ready'; bySite: ReadonlyMap<string, number | null> };

interface MeterRow {
  meter: MeterView;
  kind: string;
  siteName: string;
  lastSeen: string;
  action: MaintenanceAction | null;
}

@Component({
  selector: 'app-overview',
  imports: [
    IfScopeDirective,
    MeterStatusBadgeComponent,
    RouterLink,
    DatePipe,
    AlertPillComponent,
    NgxEchartsDirective,
  ],
  templateUrl: './overview.component.html',
  styleUrl: './overview.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OverviewComponent implements OnInit {
  private readonly devices = inject(DevicesApiService);
  private readonly destroyRef = inject(DestroyRef);
  private readonly live = inject(RealtimeSession);
  private readonly now = signal(new Date());

  protected readonly Scope = Scope;
  protected readonly sites = signal<Listing<SiteView>>({ state: 'loading' });
  protected readonly gateways = signal<Listing<GatewayView>>({ state: 'loading' });
  protected readonly meters = signal<Listing<MeterView>>({ state: 'loading' });
  protected readonly pendingMeterId = signal<string | null>(null);
  protected readonly actionError = signal<string | null>(null);
  private readonly eventsApi = inject(EventsApiService);
  private readonly auth = inject(AuthService);
  protected readonly canReadEvents = computed(() => this.auth.can(Scope.SettingsRead));
  protected readonly recentEvents = signal<Listing<EventView>>({ state: 'loading' });
  private readonly readings = inject(ReadingsApiService);
  private readonly energy = inject(EnergyApiService);
  private readonly alertsApi = inject(AlertsApiService);
  private readonly theme = inject(ThemeService);
  protected readonly canReadAlerts = computed(() => this.auth.can(Scope.AlertsRead));
  protected readonly canReadReadings = computed(() => this.auth.can(Scope.ReadingsRead));
  /** The newest power of each meter: from the latest-values API, then from the socket. */
  private readonly power = signal<ReadonlyMap<string, PowerReading>>(new Map());
  protected readonly activeAlerts = signal<Listing<AlertView>>({ state: 'loading' });
  protected readonly severities = computed(() => {
    const alerts = this.activeAlerts();
    return alerts.state === 'ready' ? activeBySeverity(alerts.items) : [];
  });
  protected readonly alertsFailure = computed(() => {
    const alerts = this.activeAlerts();
    return alerts.state === 'failed' ? alerts.message : '';
  });
  protected readonly activeTotal = computed(() => {
    const alerts = this.activeAlerts();
    return alerts.state === 'ready' ? alerts.total : null;
  });
  protected readonly todayEnergy = signal<TodayEnergy>({ state: 'loading' });
  private readonly sitesLoaded$ = new Subject<void>();
  protected readonly todayOptions = computed(() => {
    const today = this.todayEnergy();
    const sites = this.sites();
    if (today.state !== 'ready' || sites.state !== 'ready' || sites.items.length === 0) return null;
    // Bars per site: a site whose figure failed is a gap, not zero.
    return namedBarsOptions(
      {
        names: sites.items.map((site) => site.name),
        values: sites.items.map((site) => today.bySite.get(site.id) ?? null),
      },
      'kWh',
      this.theme.mode() === 'dark',
    );
  });
  protected readonly todayFailed = computed(() => {
    const today = this.todayEnergy();
    return today.state === 'ready' && [...today.bySite.values()].some((kwh) => kwh === null);
  });

  protected readonly recentEventItems = computed(() => {
    const events = this.recentEvents();
    return events.state === 'ready' ? events.items : [];
  });
  protected readonly eventsFailure = computed(() => {
    const events = this.recentEvents();
    return events.state === 'failed' ? events.message : '';
  });

  /** Each site with how many of its meters and gateways are online, worst first. */
  protected readonly siteRows = computed(() => {
    const sites = this.sites();
    if (sites.state !== 'ready') return [];
    const meters = this.meters();
    const gateways = this.gateways();
    return sites.items
      .map((site) => ({
        site,
        meters: tally(meters, (meter) => meter.siteId === site.id),
        gateways: tally(gateways, (gateway) => gateway.siteId === site.id),
        power: formatPower(
          sitePower(site.id, meters.state === 'ready' ? meters.items : [], this.power()),
        ),
      }))
      .sort(
        (a, b) => a.meters.online / (a.meters.total || 1) - b.meters.online / (b.meters.total || 1),
      );
  });

  protected readonly counts = computed(() => [
    { key: 'sites', label: 'Sites', value: countOf(this.sites()), detail: null },
    {
      key: 'gateways',
      label: 'Gateways',
      value: countOf(this.gateways()),
      detail: onlineOf(this.gateways()),
    },
    {
      key: 'meters',
      label: 'Meters',
      value: countOf(this.meters()),
      detail: onlineOf(this.meters()),
    },
  ]);

  protected readonly meterRows = computed<MeterRow[]>(() => {
    const meters = this.meters();
    if (meters.state !== 'ready') return [];
    const sites = this.sites();
    const siteNames = new Map(
      sites.state === 'ready' ? sites.items.map((s) => [s.id, s.name]) : [],
    );
    const now = this.now();
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
    // The first load, then a refetch whenever the live connection cannot be trusted: while it is
    // down (fallback polling) and once it is back. A refetch that fails keeps what is shown.
    this.live.poll$
      .pipe(
        startWith(undefined),
        switchMap(() =>
          forkJoin({
            sites: listing(this.devices.listSites()),
            gateways: listing(this.devices.listGateways()),
            meters: listing(this.devices.listMeters()),
          }),
        ),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe(({ sites, gateways, meters }) => {
        this.sites.update((shown) => refreshed(shown, sites));
        this.gateways.update((shown) => refreshed(shown, gateways));
        this.meters.update((shown) => refreshed(shown, meters));
        if (meters.state === 'ready') this.loadPower(meters.items);
        if (sites.state === 'ready') this.sitesLoaded$.next();
      });

    // Active alerts by severity: on load, on fallback ticks, and shortly after any alert event.
    if (this.canReadAlerts()) {
      merge(
        this.live.poll$,
        merge(
          this.live.events(RealtimeEvent.AlertTriggered),
          this.live.events(RealtimeEvent.AlertUpdated),
          this.live.events(RealtimeEvent.AlertResolved),
        ).pipe(debounceTime(300)),
      )
        .pipe(
          startWith(undefined),
          switchMap(() => listing(this.alertsApi.list({ status: 'active', limit: ACTIVE_ALERTS }))),
          takeUntilDestroyed(this.destroyRef),
        )
        .subscribe((alerts) => this.activeAlerts.update((shown) => refreshed(shown, alerts)));
    }

    // Today's energy per site: once the sites are (re)loaded, every minute, and as readings arrive.
    if (this.canReadReadings()) {
      merge(
        this.sitesLoaded$,
        interval(ENERGY_REFRESH_MS),
        this.live.readingTicks(ENERGY_ON_READINGS_MS),
      )
        .pipe(
          map(() => this.sites()),
          // Before the sites are known there is nothing to ask: their first load triggers it.
          filter((sites) => sites.state === 'ready'),
          switchMap((sites) => this.loadTodayEnergy(sites.state === 'ready' ? sites.items : [])),
          takeUntilDestroyed(this.destroyRef),
        )
        .subscribe((today) => this.todayEnergy.set(today));
    }

    // Live updates: each event patches the row it names.
    this.live
      .events(RealtimeEvent.DeviceStatusChanged)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((event) => this.meterStatusChanged(event));
    this.live
      .events(RealtimeEvent.ReadingReceived)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((event) => this.readingsReceived(event));
    this.live
      .events(RealtimeEvent.GatewayStatusChanged)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((event) => this.gatewayStatusChanged(event));

    // Recent events: on load, on fallback ticks, and shortly after any live event the log records.
    if (this.canReadEvents()) {
      merge(
        this.live.poll$,
        merge(...LOGGED_EVENTS.map((event) => this.live.events(event))).pipe(debounceTime(500)),
      )
        .pipe(
          startWith(undefined),
          switchMap(() => listing(this.eventsApi.list({ limit: RECENT_EVENTS }))),
          takeUntilDestroyed(this.destroyRef),
        )
        .subscribe((events) => this.recentEvents.update((shown) => refreshed(shown, events)));
    }

    interval(CLOCK_TICK_MS)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe(() => this.now.set(new Date()));
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
    this.meters.update((listing) => patched(listing, updated.id, () => updated));
  }

  private meterStatusChanged(event: DeviceStatusChangedEvent): void {
    this.meters.update((listing) =>
      patched(listing, event.meterId, (meter) => ({ ...meter, status: event.to })),
    );
  }

  /**
   * The newest power of each meter, on load and on each fallback refetch (while the socket is down
   * nothing else brings it); four requests at a time.
   */
  private loadPower(meters: MeterView[]): void {
    if (!this.canReadReadings()) return;
    const active = meters.filter((meter) => meter.status !== MeterStatus.Decommissioned);
    from(active)
      .pipe(
        mergeMap(
          (meter) =>
            this.readings.latest(meter.id).pipe(
              map((readings) => readings.map((reading) => ({ ...reading, meterId: meter.id }))),
              // One meter's failure leaves its power unknown; the others still count.
              catchError(() => of([])),
            ),
          4,
        ),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((readings) => this.power.update((shown) => withPower(shown, readings)));
  }

  /** Today (each site's own local day) per site; a site whose figure fails is null. */
  private loadTodayEnergy(sites: SiteView[]) {
    const now = new Date();
    // The local day containing this instant is the one period asked for.
    const target = { from: new Date(now.getTime() - 1000), to: now, interval: 'day' as const };
    if (sites.length === 0) return of<TodayEnergy>({ state: 'ready', bySite: new Map() });
    return forkJoin(
      sites.map((site) =>
        this.energy.consumption({ scope: 'site', id: site.id, ...target }).pipe(
          map((consumption) => [site.id, consumption.items[0]?.energyKwh ?? 0] as const),
          catchError(() => of([site.id, null] as const)),
        ),
      ),
    ).pipe(map((entries): TodayEnergy => ({ state: 'ready', bySite: new Map(entries) })));
  }

  /** A meter with new readings was heard from just now, as the API's last_seen_at says. */
  private readingsReceived(event: ReadingReceivedEvent): void {
    this.power.update((shown) => withPower(shown, event.readings));
    const heard = new Date();
    this.now.set(heard);
    const meterIds = new Set(event.readings.map((reading) => reading.meterId));
    this.meters.update((listing) => {
      let updated = listing;
      for (const id of meterIds) {
        updated = patched(updated, id, (meter) => ({
          ...meter,
          lastSeenAt: later(meter.lastSeenAt, heard.toISOString()),
        }));
      }
      return updated;
    });
  }

  private gatewayStatusChanged(event: GatewayStatusChangedEvent): void {
    this.gateways.update((listing) =>
      patched(listing, event.gatewayId, (gateway) => ({ ...gateway, status: event.to })),
    );
  }
}

/** The listing with item `id` replaced by `change(item)`; the same listing when it has no such item. */
function patched<T extends { id: string }>(
  listing: Listing<T>,
  id: string,
  change: (item: T) => T,
): Listing<T> {
  if (listing.state !== 'ready' || !listing.items.some((item) => item.id === id)) return listing;
  return { ...listing, items: listing.items.map((item) => (item.id === id ? change(item) : item)) };
}

/** A refetched listing replaces the shown one, unless it failed where the shown one had data. */
function refreshed<T>(shown: Listing<T>, next: Listing<T>): Listing<T> {
  return shown.state === 'ready' && next.state !== 'ready' ? shown : next;
}

function later(current: string | null, candidate: string): string {
  return current !== null && Date.parse(current) >= Date.parse(candidate) ? current : candidate;
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

/** "2 online", when the whole list is loaded (the count would be partial otherwise). */
function onlineOf(listing: Listing<{ status: string }>): string | null {
  if (listing.state !== 'ready' || listing.total === 0) return null;
  if (listing.items.length < listing.total) return null;
  return `${listing.items.filter((item) => item.status === 'online').length} online`;
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

/** How many of the listed devices `belongs` picks, and how many of those are online. */
function tally<T extends { status: string }>(
  listing: Listing<T>,
  belongs: (item: T) => boolean,
): { total: number; online: number } {
  if (listing.state !== 'ready') return { total: 0, online: 0 };
  const items = listing.items.filter(belongs);
  return { total: items.length, online: items.filter((item) => item.status === 'online').length };
}
