import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, ActivatedRoute, convertToParamMap } from '@angular/router';
import type {
  ReadingReceivedEvent,
  RealtimeEvent,
  RealtimeEventPayloads,
} from '@gridwatch/contracts';
import { By } from '@angular/platform-browser';
import { NgxEchartsDirective } from 'ngx-echarts';
import { BehaviorSubject, Observable, Subject } from 'rxjs';
import {
  aGateway,
  aMeter,
  anError,
  aPage,
  aSite,
  aUser,
  anAlertPage,
} from '../../testing/fixtures';
import { AuthService } from '../auth/auth.service';
import { FakeEchartsDirective } from '../../testing/fake-echarts';
import { RealtimeSession, type LiveConnection } from '../realtime/realtime-session.service';
import { MeterPageComponent } from './meter-page.component';

/** The RealtimeSession surface the page uses: the test pushes a meter's events. */
class FakeRealtimeSession {
  readonly connection = signal<LiveConnection>('live');
  readonly poll$ = new Subject<void>();
  readonly readings = new Subject<ReadingReceivedEvent>();

  /** Organization events (the open alerts panel listens): none in these tests. */
  events(): Observable<never> {
    return new Subject<never>();
  }

  meterEvents<E extends RealtimeEvent>(
    _meterId: string,
    event: E,
  ): Observable<RealtimeEventPayloads[E]> {
    const stream = event === 'reading.received' ? this.readings : new Subject<never>();
    return stream as unknown as Observable<RealtimeEventPayloads[E]>;
  }
}

describe('MeterPageComponent', () => {
  const meter = aMeter({ gatewayId: 'gw-1', name: 'Office heaters' });
  let fixture: ComponentFixture<MeterPageComponent>;
  let backend: HttpTestingController;
  let live: FakeRealtimeSession;

  beforeEach(async () => {
    live = new FakeRealtimeSession();
    TestBed.configureTestingModule({
      imports: [MeterPageComponent],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: RealtimeSession, useValue: live },
        {
          provide: ActivatedRoute,
          useValue: { paramMap: new BehaviorSubject(convertToParamMap({ id: meter.id })) },
        },
      ],
    });
    TestBed.overrideComponent(MeterPageComponent, {
      remove: { imports: [NgxEchartsDirective] },
      add: { imports: [FakeEchartsDirective] },
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(AuthService).loadUser().subscribe();
    backend.expectOne('/api/v1/auth/me').flush(aUser({ role: 'viewer' }));
    fixture = TestBed.createComponent(MeterPageComponent);
    await fixture.whenStable();
    backend.expectOne(`/api/v1/meters/${meter.id}`).flush(meter);
    await fixture.whenStable();
    backend.expectOne(`/api/v1/sites/${meter.siteId}`).flush(aSite());
    backend.expectOne('/api/v1/gateways/gw-1').flush(aGateway({ id: 'gw-1' }));
    await fixture.whenStable();
  });

  afterEach(() => {
    // The load profile (its own test below).
    for (const request of backend.match((candidate) => candidate.url.endsWith('/usage-profile')))
      if (!request.cancelled)
        request.flush({ timezone: 'UTC', all: [], weekdays: [], weekends: [] });
    // The open alerts (their own test below).
    for (const request of backend.match((candidate) => candidate.url === '/api/v1/alerts'))
      if (!request.cancelled) request.flush(anAlertPage([]));
    backend.verify();
  });

  const page = () => fixture.nativeElement as HTMLElement;

  it("lists the meter's open alerts, active and acknowledged", async () => {
    const asked = backend.match((candidate) => candidate.url === '/api/v1/alerts');
    expect(asked.map((request) => request.request.params.get('meterId'))).toEqual([
      meter.id,
      meter.id,
    ]);
    const byStatus = (status: string) =>
      asked.find((request) => request.request.params.get('status') === status);
    byStatus('active')?.flush(
      anAlertPage([{ id: 'a-1', title: 'Power above 9 kW', status: 'active' }]),
    );
    byStatus('acknowledged')?.flush(
      anAlertPage([{ id: 'a-2', title: 'No readings for 1 h', status: 'acknowledged' }]),
    );
    await fixture.whenStable();
    const rows = [...page().querySelectorAll('[data-testid="open-alert"]')].map((row) =>
      row.textContent?.replace(/\s+/g, ' ').trim(),
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('Power above 9 kW');
    expect(rows[1]).toContain('acknowledged');
    // A viewer cannot open tickets: no form for it.
    expect(page().querySelector('[data-testid="open-ticket"]')).toBeNull();
    // The rest of the page (their own tests).
    backend.expectOne(`/api/v1/meters/${meter.id}/readings/latest`).flush([]);
    backend.expectOne((request) => request.url.endsWith('/data-quality-issues')).flush(aPage([]));
    backend
      .expectOne((request) => request.url.endsWith('/readings'))
      .flush({ meterId: meter.id, aggregation: 'raw', from: '', to: '', items: [] });
  });
  const text = (id: string) => page().querySelector(`[data-testid="${id}"]`)?.textContent?.trim();
  const points = () =>
    Number(page().querySelector('[data-testid="reading-chart"]')?.getAttribute('data-points'));

  function answerReadings(): void {
    const now = Date.now();
    backend.expectOne(`/api/v1/meters/${meter.id}/readings/latest`).flush([
      {
        parameter: 'power_w',
        ts: new Date(now - 60_000).toISOString(),
        value: 900,
        unit: 'W',
        quality: 'good',
      },
    ]);
    backend.expectOne((request) => request.url.endsWith('/data-quality-issues')).flush(aPage([]));
    const series = backend.expectOne(
      (request) =>
        request.url === `/api/v1/meters/${meter.id}/readings` &&
        request.params.get('aggregation') === 'raw' &&
        request.params.get('parameter') === 'power_w',
    );
    series.flush({
      meterId: meter.id,
      aggregation: 'raw',
      from: new Date(now - 3_600_000).toISOString(),
      to: new Date(now).toISOString(),
      items: [
        { ts: new Date(now - 120_000).toISOString(), parameter: 'power_w', value: 880 },
        { ts: new Date(now - 60_000).toISOString(), parameter: 'power_w', value: 900 },
      ],
    });
  }

  it('shows the latest value per parameter and the last hour of raw readings', async () => {
    answerReadings();
    await fixture.whenStable();
    expect(text('meter-name')).toBe('Office heaters');
    expect(text('meter-site')).toBe(aSite().name);
    expect(text('live-value-power_w')).toBe('900 W');
    expect(points()).toBe(2);
    expect(text('chart-aggregation')).toBe('every reading');
  });

  it("draws the meter's 24-hour load profile: average and peak by hour", async () => {
    answerReadings();
    await fixture.whenStable();
    const request = backend.expectOne((candidate) =>
      candidate.url.endsWith('/analytics/usage-profile'),
    );
    expect(request.request.params.get('scope')).toBe('meter');
    expect(request.request.params.get('id')).toBe(meter.id);
    const hours = [{ hour: 7, average: 2500, peak: 4000 }];
    request.flush({ timezone: 'UTC', all: hours, weekdays: hours, weekends: [] });
    await fixture.whenStable();
    const chart = fixture.debugElement
      .queryAll(By.directive(FakeEchartsDirective))
      .find((element) => element.attributes['data-testid'] === 'profile-chart');
    const options = chart?.injector.get(FakeEchartsDirective).options() as {
      series: { name: string; data: (number | null)[] }[];
    };
    expect(options.series.map((series) => [series.name, series.data[7]])).toEqual([
      ['Average', 2.5],
      ['Peak', 4],
    ]);
  });

  it('a live reading updates its card and becomes a new chart point, without a refetch', async () => {
    answerReadings();
    await fixture.whenStable();
    live.readings.next({
      organizationId: 'org',
      room: { kind: 'meter', id: meter.id },
      readings: [
        {
          meterId: meter.id,
          siteId: meter.siteId,
          parameter: 'power_w',
          ts: new Date().toISOString(),
          value: 1520,
          unit: 'W',
          quality: 'good',
        },
      ],
    });
    await fixture.whenStable();
    expect(text('live-value-power_w')).toBe('1520 W');
    expect(points()).toBe(3);
  });

  it('asks for 5-minute averages when the last 24 hours are chosen', async () => {
    answerReadings();
    await fixture.whenStable();
    page().querySelector<HTMLElement>('[data-testid="range-day"] button')?.click();
    await fixture.whenStable();
    const request = backend.expectOne(
      (candidate) =>
        candidate.url.endsWith('/readings') && candidate.params.get('aggregation') === '5m',
    );
    request.flush({ meterId: meter.id, aggregation: '5m', from: '', to: '', items: [] });
    await fixture.whenStable();
    expect(text('chart-aggregation')).toBe('5m averages');
  });

  it("shows the API's message when the history cannot be loaded, not an empty chart", async () => {
    backend.expectOne(`/api/v1/meters/${meter.id}/readings/latest`).flush([]);
    backend.expectOne((request) => request.url.endsWith('/data-quality-issues')).flush(aPage([]));
    backend
      .expectOne((request) => request.url === `/api/v1/meters/${meter.id}/readings`)
      .flush(anError(400, 'validation_failed', 'from must be before to'), {
        status: 400,
        statusText: 'Bad Request',
      });
    await fixture.whenStable();
    expect(text('chart-error')).toContain('from must be before to');
  });
});
