import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type {
  AlertView,
  DeviceStatusChangedEvent,
  GatewayStatusChangedEvent,
  ReadingReceivedEvent,
  RealtimeEvent,
  RealtimeEventPayloads,
  Role,
} from '@gridwatch/contracts';
import { By } from '@angular/platform-browser';
import { NgxEchartsDirective } from 'ngx-echarts';
import { map, Observable, Subject } from 'rxjs';
import {
  aGateway,
  aMeter,
  anAlertPage,
  anError,
  aPage,
  aSite,
  aUser,
} from '../../testing/fixtures';
import { AuthService } from '../auth/auth.service';
import { RealtimeSession, type LiveConnection } from '../realtime/realtime-session.service';
import { FakeEchartsDirective } from '../../testing/fake-echarts';
import { OverviewComponent } from './overview.component';

/** The RealtimeSession's surface the page uses: the test pushes events and fallback ticks. */
class FakeRealtimeSession {
  readonly connection = signal<LiveConnection>('live');
  readonly poll$ = new Subject<void>();
  private readonly streams = new Map<string, Subject<unknown>>();

  events<E extends RealtimeEvent>(event: E): Observable<RealtimeEventPayloads[E]> {
    return this.stream(event) as Subject<RealtimeEventPayloads[E]>;
  }

  /** Unthrottled here: each reading event is a tick. */
  readingTicks(): Observable<void> {
    return this.events('reading.received').pipe(map(() => undefined));
  }

  emit<E extends RealtimeEvent>(event: E, payload: RealtimeEventPayloads[E]): void {
    this.stream(event).next(payload);
  }

  watching(event: RealtimeEvent): boolean {
    return this.stream(event).observed;
  }

  private stream(event: string): Subject<unknown> {
    let subject = this.streams.get(event);
    if (!subject) this.streams.set(event, (subject = new Subject<unknown>()));
    return subject;
  }
}

const notFound = { status: 404, statusText: 'Not Found' };
const routeNotFound = anError(404, 'route_not_found', 'Cannot GET /api/v1/meters');

describe('OverviewComponent', () => {
  let fixture: ComponentFixture<OverviewComponent>;
  let backend: HttpTestingController;
  let live: FakeRealtimeSession;

  async function render(role: Role = 'viewer'): Promise<void> {
    live = new FakeRealtimeSession();
    TestBed.configureTestingModule({
      imports: [OverviewComponent],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: RealtimeSession, useValue: live },
      ],
    });
    TestBed.overrideComponent(OverviewComponent, {
      remove: { imports: [NgxEchartsDirective] },
      add: { imports: [FakeEchartsDirective] },
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(AuthService).loadUser().subscribe();
    backend.expectOne('/api/v1/auth/me').flush(aUser({ role }));
    fixture = TestBed.createComponent(OverviewComponent);
    await fixture.whenStable();
  }

  afterEach(() => {
    // The recent events panel (its own spec below); the rest of the page is what these test.
    for (const request of backend.match('/api/v1/events?limit=8')) {
      if (!request.cancelled) request.flush(aPage([]));
    }
    // The power, alerts and energy panels (their own specs below).
    for (const request of backend.match(() => true)) {
      if (request.cancelled) continue;
      const url = request.request.url;
      if (url.endsWith('/readings/latest')) request.flush([]);
      else if (url === '/api/v1/alerts') request.flush(anAlertPage([]));
      else if (url === '/api/v1/analytics/consumption')
        request.flush({ timezone: 'UTC', items: [] });
    }
    backend.verify();
  });

  const page = () => fixture.nativeElement as HTMLElement;
  const text = (id: string) => page().querySelector(`[data-testid="${id}"]`)?.textContent?.trim();

  async function answerLists(meters = [aMeter()]): Promise<void> {
    backend.expectOne('/api/v1/sites').flush(aPage([aSite()]));
    backend.expectOne('/api/v1/gateways').flush(aPage([]));
    backend.expectOne('/api/v1/meters').flush(aPage(meters));
    await fixture.whenStable();
  }

  describe('for a viewer', () => {
    beforeEach(() => render('viewer'));

    it('counts sites, gateways and meters and lists the meters with their site and status', async () => {
      const london = aSite();
      const newYork = aSite({ id: 'a1f3c2d4-0000-4000-8000-000000000002', name: 'New York DC' });
      backend.expectOne('/api/v1/sites').flush(aPage([london, newYork]));
      backend.expectOne('/api/v1/gateways').flush(aPage([aGateway()], 3));
      backend.expectOne('/api/v1/meters').flush(
        aPage([
          aMeter({ name: 'Main incomer', status: 'online' }),
          aMeter({
            id: 'c3f5e4d6-0000-4000-8000-000000000002',
            name: 'Rack A',
            kind: 'server',
            siteId: newYork.id,
            status: 'maintenance',
          }),
        ]),
      );
      await fixture.whenStable();

      expect(text('count-sites')).toBe('2');
      expect(text('count-gateways')).toBe('3');
      expect(text('count-meters')).toBe('2');
      const rows = [...page().querySelectorAll('[data-testid="meter-row"]')].map((row) =>
        [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim()),
      );
      expect(rows).toEqual([
        ['Main incomer', 'Online', 'Main', 'London head office', 'Never'],
        ['Rack A', 'Maintenance', 'Server', 'New York DC', 'Never'],
      ]);
      expect(page().querySelector('.badge-maintenance')).not.toBeNull();
    });

    it('a failed load shows the error, never an empty fleet', async () => {
      for (const url of ['/api/v1/sites', '/api/v1/gateways', '/api/v1/meters']) {
        backend.expectOne(url).flush(routeNotFound, notFound);
      }
      await fixture.whenStable();

      expect(text('overview-error')).toBe('Cannot GET /api/v1/meters');
      expect(page().querySelector('[role="alert"]')).not.toBeNull();
      expect(text('meters-failed')).toContain('could not be loaded');
      expect(page().querySelector('[data-testid="meters-empty"]')).toBeNull();
      expect(text('count-meters')).toBe('—');
      expect(text('count-sites')).toBe('—');
    });

    it('an unreachable server is an error too, not "No meters yet"', async () => {
      for (const url of ['/api/v1/sites', '/api/v1/gateways', '/api/v1/meters']) {
        backend.expectOne(url).flush(null, { status: 0, statusText: 'Unknown Error' });
      }
      await fixture.whenStable();

      expect(text('overview-error')).toContain('cannot be reached');
      expect(text('meters-failed')).toBeTruthy();
      expect(page().textContent).not.toContain('No meters yet');
    });

    it('says there are no meters when the organization has none', async () => {
      backend.expectOne('/api/v1/sites').flush(aPage([aSite()]));
      backend.expectOne('/api/v1/gateways').flush(aPage([]));
      backend.expectOne('/api/v1/meters').flush(aPage([]));
      await fixture.whenStable();

      expect(text('meters-empty')).toContain('No meters yet');
      expect(text('count-meters')).toBe('0');
    });

    it("shows the API's message when a list fails for another reason", async () => {
      backend.expectOne('/api/v1/sites').flush(aPage([]));
      backend.expectOne('/api/v1/gateways').flush(aPage([]));
      backend
        .expectOne('/api/v1/meters')
        .flush(anError(503, 'service_unavailable', 'The database is unavailable'), {
          status: 503,
          statusText: 'Service Unavailable',
        });
      await fixture.whenStable();

      expect(text('overview-error')).toBe('The database is unavailable');
      expect(text('meters-failed')).toBeTruthy();
      expect(page().querySelector('[data-testid="meters-empty"]')).toBeNull();
    });

    it('offers no status changes', async () => {
      await answerLists();

      expect(page().querySelector('[data-testid="meter-row"]')).not.toBeNull();
      expect(page().querySelector('[data-testid="meter-action"]')).toBeNull();
    });
  });

  describe('for an operator, who may change devices', () => {
    const meter = aMeter({ status: 'online' });

    beforeEach(async () => {
      await render('operator');
      await answerLists([meter]);
    });

    const actionButton = () =>
      page().querySelector<HTMLButtonElement>('[data-testid="meter-action"]');

    it('puts a meter into maintenance and shows its new status', async () => {
      expect(actionButton()?.textContent?.trim()).toBe('Start maintenance');
      actionButton()?.click();

      const request = backend.expectOne(`/api/v1/meters/${meter.id}/status`);
      expect(request.request.method).toBe('POST');
      expect(request.request.body).toEqual({ status: 'maintenance' });
      request.flush({ ...meter, status: 'maintenance' });
      await fixture.whenStable();

      expect(text('meter-status')).toBe('Maintenance');
      expect(actionButton()?.textContent?.trim()).toBe('End maintenance');
    });

    it("shows the API's message when the move is refused", async () => {
      actionButton()?.click();

      backend
        .expectOne(`/api/v1/meters/${meter.id}/status`)
        .flush(anError(409, 'illegal_status_transition', 'A decommissioned meter stays so'), {
          status: 409,
          statusText: 'Conflict',
        });
      await fixture.whenStable();

      expect(text('action-error')).toBe('A decommissioned meter stays so');
      expect(text('meter-status')).toBe('Online');
    });
  });

  describe('live updates', () => {
    const kitchen = aMeter({
      id: 'c3f5e4d6-0000-4000-8000-000000000002',
      name: 'Kitchen',
      status: 'offline',
      lastSeenAt: new Date(Date.now() - 3 * 3600_000).toISOString(),
    });
    const gateway = aGateway({ status: 'online' });
    const otherMeter = 'c3f5e4d6-0000-4000-8000-0000000000ff';

    beforeEach(async () => {
      await render('viewer');
      backend.expectOne('/api/v1/sites').flush(aPage([aSite()]));
      backend.expectOne('/api/v1/gateways').flush(aPage([gateway]));
      backend.expectOne('/api/v1/meters').flush(aPage([aMeter(), kitchen]));
      await fixture.whenStable();
    });

    const row = (name: string) =>
      [...page().querySelectorAll<HTMLElement>('[data-testid="meter-row"]')].find((element) =>
        element.querySelector('th')?.textContent?.includes(name),
      );
    const cells = (name: string) =>
      [...(row(name)?.querySelectorAll('th, td') ?? [])].map((cell) => cell.textContent?.trim());

    function statusChange(overrides: Partial<DeviceStatusChangedEvent>): DeviceStatusChangedEvent {
      return {
        organizationId: aUser().organizationId,
        meterId: kitchen.id,
        siteId: kitchen.siteId,
        gatewayId: null,
        from: 'offline',
        to: 'online',
        reason: null,
        at: new Date().toISOString(),
        ...overrides,
      };
    }

    function readings(meterIds: string[]): ReadingReceivedEvent {
      return {
        organizationId: aUser().organizationId,
        room: { kind: 'organization', id: aUser().organizationId },
        readings: meterIds.map((meterId) => ({
          meterId,
          siteId: aSite().id,
          parameter: 'power_w',
          ts: new Date().toISOString(),
          value: 1200,
          unit: 'W',
          quality: 'good',
        })),
      };
    }

    it("updates a meter's status badge and the online count when its status changes", async () => {
      expect(cells('Kitchen')[1]).toBe('Offline');
      expect(text('count-detail-meters')).toBe('1 online');

      live.emit('device.status_changed', statusChange({ to: 'online' }));
      live.emit('device.status_changed', statusChange({ meterId: otherMeter, to: 'offline' }));
      await fixture.whenStable();

      expect(cells('Kitchen')[1]).toBe('Online');
      expect(cells('Main incomer')[1]).toBe('Online');
      expect(text('count-detail-meters')).toBe('2 online');
    });

    it('shows a meter with new readings as seen just now', async () => {
      expect(cells('Kitchen')[4]).toBe('3 h ago');
      expect(cells('Main incomer')[4]).toBe('Never');

      const before = Date.now();
      live.emit('reading.received', readings([kitchen.id, kitchen.id, otherMeter]));
      await fixture.whenStable();

      expect(cells('Kitchen')[4]).toBe('Just now');
      const seen = row('Kitchen')?.querySelector('time')?.getAttribute('datetime') ?? '';
      expect(Date.parse(seen)).toBeGreaterThanOrEqual(before - 1000);
      expect(cells('Main incomer')[4]).toBe('Never');
    });

    it("counts a gateway's status change", async () => {
      expect(text('count-detail-gateways')).toBe('1 online');
      const change: GatewayStatusChangedEvent = {
        organizationId: aUser().organizationId,
        gatewayId: gateway.id,
        siteId: gateway.siteId,
        from: 'online',
        to: 'offline',
        at: new Date().toISOString(),
      };
      live.emit('gateway.status_changed', change);
      await fixture.whenStable();
      expect(text('count-detail-gateways')).toBe('0 online');
      expect(text('count-gateways')).toBe('1');
    });

    it('refetches the lists on each fallback tick, and keeps what it shows when one fails', async () => {
      live.poll$.next();
      backend.expectOne('/api/v1/sites').flush(aPage([aSite()]));
      backend.expectOne('/api/v1/gateways').flush(aPage([gateway]));
      backend
        .expectOne('/api/v1/meters')
        .flush(aPage([aMeter(), { ...kitchen, status: 'maintenance' }]));
      await fixture.whenStable();
      expect(cells('Kitchen')[1]).toBe('Maintenance');

      live.poll$.next();
      backend.expectOne('/api/v1/sites').flush(aPage([aSite()]));
      backend.expectOne('/api/v1/gateways').flush(aPage([gateway]));
      backend.expectOne('/api/v1/meters').flush(null, { status: 0, statusText: 'Unknown Error' });
      await fixture.whenStable();
      expect(cells('Kitchen')[1]).toBe('Maintenance');
      expect(page().querySelectorAll('[data-testid="meter-row"]')).toHaveLength(2);
    });

    it('stops listening when the page is left', () => {
      expect(live.watching('reading.received')).toBe(true);
      fixture.destroy();
      expect(live.watching('reading.received')).toBe(false);
      expect(live.watching('device.status_changed')).toBe(false);
      expect(live.poll$.observed).toBe(false);
    });
  });

  describe('dashboard panels', () => {
    it('shows each site with its meters online, and the recent events', async () => {
      await render('viewer');
      await answerLists([aMeter({ status: 'online' }), aMeter({ id: 'm-2', status: 'offline' })]);
      backend.expectOne('/api/v1/events?limit=8').flush(
        aPage([
          {
            id: 'e-1',
            type: 'device.offline',
            actorType: 'system',
            actorId: null,
            subjectType: 'meter',
            subjectId: 'm-2',
            ip: null,
            data: {},
            occurredAt: '2026-03-01T12:00:00Z',
          },
        ]),
      );
      await fixture.whenStable();
      expect(text('dashboard-site')).toContain('1/2 meters online');
      expect(text('dashboard-events')).toContain('device.offline');
    });

    it('shows a new event in "Recent events" shortly after an alert is raised, without reload', async () => {
      await render('viewer');
      await answerLists();
      backend.expectOne('/api/v1/events?limit=8').flush(aPage([]));
      await fixture.whenStable();
      expect(text('dashboard-events')).not.toContain('alert.triggered');

      jest.useFakeTimers();
      try {
        live.emit('alert.triggered', { organizationId: 'org-1', alert: {} as AlertView });
        jest.advanceTimersByTime(500);
      } finally {
        jest.useRealTimers();
      }
      backend.expectOne('/api/v1/events?limit=8').flush(
        aPage([
          {
            id: 'e-2',
            type: 'alert.triggered',
            actorType: 'system',
            actorId: null,
            subjectType: 'alert',
            subjectId: 'a-1',
            ip: null,
            data: {},
            occurredAt: '2026-03-01T12:01:00Z',
          },
        ]),
      );
      await fixture.whenStable();
      expect(text('dashboard-events')).toContain('alert.triggered');
    });

    it("shows the API's message when the events cannot be read", async () => {
      await render('viewer');
      await answerLists();
      backend
        .expectOne('/api/v1/events?limit=8')
        .flush(anError(503, 'unavailable', 'The database is unavailable'), {
          status: 503,
          statusText: 'Service Unavailable',
        });
      await fixture.whenStable();
      expect(page().textContent).toContain('The database is unavailable');
    });

    it("shows each site's power now: the latest readings, then the live ones", async () => {
      await render('viewer');
      const heater = aMeter({ id: 'm-2', name: 'Heater' });
      await answerLists([aMeter(), heater]);
      backend.expectOne(`/api/v1/meters/${aMeter().id}/readings/latest`).flush([
        {
          parameter: 'power_w',
          ts: '2026-03-01T12:00:00Z',
          value: 1200,
          unit: 'W',
          quality: 'good',
        },
        {
          parameter: 'energy_kwh',
          ts: '2026-03-01T12:00:00Z',
          value: 99,
          unit: 'kWh',
          quality: 'good',
        },
      ]);
      backend.expectOne('/api/v1/meters/m-2/readings/latest').flush([
        {
          parameter: 'power_w',
          ts: '2026-03-01T12:00:00Z',
          value: 800,
          unit: 'W',
          quality: 'good',
        },
      ]);
      await fixture.whenStable();
      expect(text('site-power')).toBe('2 kW');

      live.emit('reading.received', {
        organizationId: aUser().organizationId,
        room: { kind: 'organization', id: aUser().organizationId },
        readings: [
          {
            meterId: 'm-2',
            siteId: aSite().id,
            parameter: 'power_w',
            ts: '2026-03-01T12:00:05Z',
            value: 3300,
            unit: 'W',
            quality: 'good',
          },
        ],
      });
      await fixture.whenStable();
      expect(text('site-power')).toBe('4.5 kW');
    });

    it('counts the active alerts by severity, again when an alert changes', async () => {
      await render('viewer');
      await answerLists();
      backend
        .expectOne((request) => request.url === '/api/v1/alerts')
        .flush(
          anAlertPage([
            { id: 'a-1', status: 'active', severity: 'critical' },
            { id: 'a-2', status: 'active', severity: 'warning' },
            { id: 'a-3', status: 'active', severity: 'critical' },
          ]),
        );
      await fixture.whenStable();
      expect(text('active-critical')).toContain('2');
      expect(text('active-warning')).toContain('1');
      expect(text('active-info')).toContain('0');
      expect(text('active-alerts-total')).toBe('3');

      jest.useFakeTimers();
      try {
        live.emit('alert.resolved', { organizationId: 'org-1', alert: {} as AlertView });
        jest.advanceTimersByTime(300);
      } finally {
        jest.useRealTimers();
      }
      const again = backend.expectOne((request) => request.url === '/api/v1/alerts');
      expect(again.request.params.get('status')).toBe('active');
      again.flush(anAlertPage([{ id: 'a-2', status: 'active', severity: 'warning' }]));
      await fixture.whenStable();
      expect(text('active-critical')).toContain('0');
    });

    it("draws today's energy of each site as bars", async () => {
      await render('viewer');
      await answerLists();
      const request = backend.expectOne(
        (candidate) => candidate.url === '/api/v1/analytics/consumption',
      );
      expect(request.request.params.get('scope')).toBe('site');
      expect(request.request.params.get('id')).toBe(aSite().id);
      expect(request.request.params.get('interval')).toBe('day');
      request.flush({
        timezone: 'Europe/London',
        items: [{ start: '', end: '', energyKwh: 42.5, coverage: 1 }],
      });
      await fixture.whenStable();
      const chart = fixture.debugElement.query(By.directive(FakeEchartsDirective));
      const options = chart.injector.get(FakeEchartsDirective).options() as {
        xAxis: { data: string[] };
        series: { data: number[] }[];
      };
      expect(options.xAxis.data).toEqual([aSite().name]);
      expect(options.series[0].data).toEqual([42.5]);
    });

    it('asks nothing of the event log for a role without settings:read (support)', async () => {
      await render('support');
      await answerLists();
      expect(backend.match('/api/v1/events?limit=8')).toEqual([]);
    });
  });
});
