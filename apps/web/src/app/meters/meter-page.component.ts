import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { provideNativeDateAdapter } from '@angular/material/core';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import {
  Aggregation,
  PARAMETERS,
  Parameter,
  RealtimeEvent,
  Scope,
  type DataQualityIssueView,
  type LiveReading,
  type MeterView,
} from '@gridwatch/contracts';
import type { EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective } from 'ngx-echarts';
import {
  catchError,
  combineLatest,
  distinctUntilChanged,
  EMPTY,
  filter,
  map,
  merge,
  of,
  shareReplay,
  startWith,
  switchMap,
} from 'rxjs';
import { CredentialPanelComponent } from '../devices/credential-panel.component';
import { MeterOpenAlertsComponent } from '../alerts/meter-open-alerts.component';
import { OpenTicketComponent } from '../tickets/open-ticket.component';
import { DevicesApiService } from '../devices/devices-api.service';
import { MeterStatusBadgeComponent } from '../devices/meter-status-badge.component';
import { RealtimeSession } from '../realtime/realtime-session.service';
import { apiErrorMessage } from '../shared/api-error';
import { loadFromRoute, loading, type Loaded } from '../shared/detail-load';
import { EnergyApiService, type UsageProfile } from '../energy/energy-api.service';
import { profileIsEmpty, usageProfileOptions } from '../energy/energy-charts';
import { saveFile } from '../shared/save-file';
import { IfScopeDirective } from '../shared/if-scope.directive';
import { meterKindLabel, parameterLabel, parameterUnit, relativeTime } from '../shared/labels';
import { ThemeService } from '../shared/theme.service';
import {
  dailyBarsOptions,
  dailyConsumption,
  formatValue,
  timeSeriesOptions,
} from './chart-options';
import { DataQualityApiService } from './data-quality-api.service';
import {
  RANGE_PRESETS,
  rangeOf,
  seriesOf,
  withLiveReadings,
  type ChartPoint,
  type RangePreset,
  type ReadingRange,
} from './reading-range';
import { MAX_POINTS, ReadingsApiService, type LatestReading } from './readings-api.service';
import { statusActions, type StatusAction } from './status-actions';
import { StatusDialogComponent } from './status-dialog.component';

/** The chart's data: loading, the series (stored and live points), or why it failed. */
type ChartState =
  | { state: 'loading' }
  | { state: 'ready'; stored: ChartPoint[]; live: ChartPoint[]; truncated: boolean }
  | { state: 'failed'; message: string };

/** Daily consumption bars of the meter's counter (energy or water) over the last 30 days. */
type DailyState =
  | { state: 'none' }
  | { state: 'loading' }
  | { state: 'ready'; options: EChartsCoreOption; days: number }
  | { state: 'failed'; message: string };

const DAILY_BARS_DAYS = 30;

/** How far back the 24-hour load profile looks. */
const PROFILE_DAYS = 28;
type ProfileDays = keyof Omit<UsageProfile, 'timezone'>;

type IssuesState =
  | { state: 'loading' }
  | { state: 'ready'; items: DataQualityIssueView[]; total: number }
  | { state: 'failed'; message: string };

/** One meter: live values, its time series, data quality, status actions and credential. */
@Component({
  selector: 'app-meter-page',
  imports: [
    RouterLink,
    DatePipe,
    ReactiveFormsModule,
    MatButtonToggleModule,
    MatDatepickerModule,
    MatFormFieldModule,
    MatSelectModule,
    NgxEchartsDirective,
    IfScopeDirective,
    MeterStatusBadgeComponent,
    CredentialPanelComponent,
    MeterOpenAlertsComponent,
    OpenTicketComponent,
  ],
  providers: [provideNativeDateAdapter()],
  templateUrl: './meter-page.component.html',
  styleUrl: './meter-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MeterPageComponent {
  private readonly devices = inject(DevicesApiService);
  private readonly readings = inject(ReadingsApiService);
  private readonly quality = inject(DataQualityApiService);
  private readonly energy = inject(EnergyApiService);
  private readonly live = inject(RealtimeSession);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly theme = inject(ThemeService);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly Scope = Scope;
  protected readonly presets = RANGE_PRESETS;
  protected readonly parameterLabel = parameterLabel;
  protected readonly parameterUnit = parameterUnit;
  protected readonly formatValue = formatValue;

  protected readonly loaded = loadFromRoute((id) => this.devices.getMeter(id));
  protected readonly meter = signal<MeterView | null>(null);
  protected readonly loadError = computed(() => {
    const loaded = this.loaded();
    return loaded.state === 'failed' ? loaded.message : null;
  });
  /** Where the meter is: its site's and gateway's names (the ids until they answer). */
  protected readonly placement = toSignal(
    toObservable(this.meter).pipe(
      map((meter) => (meter ? { siteId: meter.siteId, gatewayId: meter.gatewayId } : null)),
      filter((ids): ids is { siteId: string; gatewayId: string | null } => ids !== null),
      distinctUntilChanged((a, b) => a.siteId === b.siteId && a.gatewayId === b.gatewayId),
      switchMap(({ siteId, gatewayId }) =>
        combineLatest({
          site: this.devices.getSite(siteId).pipe(
            map((site) => site.name),
            catchError(() => of('Site')),
          ),
          gateway: gatewayId
            ? this.devices.getGateway(gatewayId).pipe(
                map((gateway) => gateway.name),
                catchError(() => of('Gateway')),
              )
            : of(null),
        }),
      ),
    ),
    { initialValue: { site: 'Site', gateway: 'Gateway' as string | null } },
  );
  protected readonly kind = computed(() => {
    const meter = this.meter();
    return meter ? meterKindLabel(meter.kind) : '';
  });
  protected readonly actions = computed(() => {
    const meter = this.meter();
    return meter ? statusActions(meter.status) : [];
  });
  protected readonly actionError = signal<string | null>(null);
  protected readonly busy = signal(false);

  /** The latest value of each parameter, from the API then from the socket. */
  protected readonly latest = signal<ReadonlyMap<Parameter, LatestReading>>(new Map());
  protected readonly latestError = signal<string | null>(null);
  protected readonly cards = computed(() =>
    PARAMETERS.flatMap((parameter) => {
      const reading = this.latest().get(parameter);
      return reading ? [reading] : [];
    }),
  );

  protected readonly preset = signal<RangePreset>('hour');
  protected readonly range = signal<ReadingRange>(rangeOf('hour', new Date()));
  protected readonly customRange = new FormGroup({
    start: new FormControl<Date | null>(null),
    end: new FormControl<Date | null>(null),
  });
  protected readonly parameter = signal<Parameter>(Parameter.PowerW);
  protected readonly chart = signal<ChartState>({ state: 'loading' });
  protected readonly points = computed(() => {
    const chart = this.chart();
    return chart.state === 'ready' ? chart.stored.length + chart.live.length : 0;
  });
  protected readonly chartOptions = computed(() => {
    const chart = this.chart();
    const range = this.range();
    const parameter = this.parameter();
    return timeSeriesOptions({
      name: parameterLabel(parameter),
      unit: parameterUnit(parameter),
      stored: chart.state === 'ready' ? chart.stored : [],
      live: chart.state === 'ready' ? chart.live : [],
      from: range.from,
      to: range.to,
      dark: this.theme.mode() === 'dark',
    });
  });

  protected readonly chartFailure = computed(() => {
    const chart = this.chart();
    return chart.state === 'failed' ? chart.message : '';
  });
  protected readonly truncated = computed(() => {
    const chart = this.chart();
    return chart.state === 'ready' && chart.truncated;
  });

  /** The counter the meter reports (energy first), whose daily consumption is drawn as bars. */
  protected readonly counter = computed<Parameter | null>(() => {
    const latest = this.latest();
    if (latest.has(Parameter.EnergyKwh)) return Parameter.EnergyKwh;
    return latest.has(Parameter.WaterM3) ? Parameter.WaterM3 : null;
  });
  protected readonly daily = signal<DailyState>({ state: 'none' });
  protected readonly dailyFailure = computed(() => {
    const daily = this.daily();
    return daily.state === 'failed' ? daily.message : '';
  });
  protected readonly dailyOptions = computed(() => {
    const daily = this.daily();
    return daily.state === 'ready' ? daily.options : null;
  });

  /** The 24-hour load profile (average and peak power by hour), once the meter reports power. */
  protected readonly reportsPower = computed(() => this.latest().has(Parameter.PowerW));
  protected readonly profile = signal<Loaded<UsageProfile>>({ state: 'loading' });
  protected readonly profileDays = signal<ProfileDays>('all');
  protected readonly profileOptions = computed(() => {
    const profile = this.profile();
    if (profile.state !== 'ready') return null;
    const hours = profile.value[this.profileDays()];
    return profileIsEmpty(hours) ? null : usageProfileOptions(hours, this.theme.mode() === 'dark');
  });
  protected readonly profileFailure = computed(() => {
    const profile = this.profile();
    return profile.state === 'failed' ? profile.message : '';
  });

  protected readonly issues = signal<IssuesState>({ state: 'loading' });
  protected readonly issueItems = computed(() => {
    const issues = this.issues();
    return issues.state === 'ready' ? issues.items : [];
  });
  protected readonly issuesFailure = computed(() => {
    const issues = this.issues();
    return issues.state === 'failed' ? issues.message : '';
  });
  protected readonly exporting = signal(false);

  constructor() {
    toObservable(this.loaded)
      .pipe(takeUntilDestroyed())
      .subscribe((loaded) => this.meter.set(loaded.state === 'ready' ? loaded.value : null));
    const distinctId$ = toObservable(this.meter).pipe(
      map((meter) => meter?.id ?? null),
      filter((id): id is string => id !== null),
      distinctUntilChanged(),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
    // Latest values and issues: on load, then on every fallback refetch tick.
    distinctId$
      .pipe(
        switchMap((id) =>
          this.live.poll$.pipe(
            startWith(undefined),
            map(() => id),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((id) => {
        this.loadLatest(id);
        this.loadIssues(id);
      });
    // The chart: again for another meter, range or parameter, and on fallback refetch ticks.
    combineLatest([distinctId$, toObservable(this.range), toObservable(this.parameter)])
      .pipe(
        switchMap(([id, range, parameter]) =>
          merge(of(undefined), this.live.poll$).pipe(
            switchMap(() => this.loadSeries(id, range, parameter)),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((state) => this.chart.set(state));
    // Daily consumption bars, once the meter is known to report a counter.
    combineLatest([distinctId$, toObservable(this.counter).pipe(distinctUntilChanged())])
      .pipe(
        switchMap(([id, counter]) => (counter ? this.loadDaily(id, counter) : of(NO_DAILY))),
        takeUntilDestroyed(),
      )
      .subscribe((state) => this.daily.set(state));
    // The load profile of the last four weeks, once the meter is known to report power.
    combineLatest([distinctId$, toObservable(this.reportsPower).pipe(distinctUntilChanged())])
      .pipe(
        filter(([, power]) => power),
        switchMap(([id]) => {
          const to = new Date();
          const from = new Date(to.getTime() - PROFILE_DAYS * 24 * 3600_000);
          return loading(this.energy.usageProfile({ scope: 'meter', id, from, to }));
        }),
        takeUntilDestroyed(),
      )
      .subscribe((profile) => this.profile.set(profile));
    // Live readings of this meter: cards and chart points, without a refetch.
    distinctId$
      .pipe(
        switchMap((id) => this.live.meterEvents(id, RealtimeEvent.ReadingReceived)),
        takeUntilDestroyed(),
      )
      .subscribe((event) => this.readingsArrived(event.readings));
    distinctId$
      .pipe(
        switchMap((id) =>
          this.live
            .meterEvents(id, RealtimeEvent.DeviceStatusChanged)
            .pipe(filter((event) => event.meterId === id)),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((event) =>
        this.meter.update((meter) => (meter ? { ...meter, status: event.to } : meter)),
      );
  }

  protected choosePreset(preset: RangePreset): void {
    this.preset.set(preset);
    if (preset !== 'custom') this.range.set(rangeOf(preset, new Date()));
  }

  protected applyCustomRange(): void {
    const { start, end } = this.customRange.getRawValue();
    if (!start || !end) return;
    // The end date is inclusive: up to the end of that day.
    const to = new Date(end.getFullYear(), end.getMonth(), end.getDate() + 1);
    this.range.set(rangeOf('custom', new Date(), { from: start, to }));
  }

  protected chooseProfileDays(days: ProfileDays): void {
    this.profileDays.set(days);
  }

  protected chooseParameter(parameter: Parameter): void {
    this.parameter.set(parameter);
  }

  protected seen(ts: string): string {
    return relativeTime(ts);
  }

  protected changeStatus(action: StatusAction): void {
    const meter = this.meter();
    if (!meter) return;
    this.dialog
      .open<StatusDialogComponent, unknown, string>(StatusDialogComponent, {
        data: { action, meterName: meter.name },
      })
      .afterClosed()
      .pipe(
        filter((reason): reason is string => reason !== undefined),
        switchMap((reason) => {
          this.busy.set(true);
          this.actionError.set(null);
          return this.devices.changeMeterStatus(meter.id, action.to, reason || undefined).pipe(
            catchError((error: unknown) => {
              this.actionError.set(apiErrorMessage(error));
              return EMPTY;
            }),
          );
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (updated) => {
          this.meter.set(updated);
          this.snackBar.open(`${updated.name}: ${action.label.toLowerCase()} done`, 'OK', {
            duration: 4000,
          });
        },
        complete: () => this.busy.set(false),
      });
  }

  protected exportCsv(): void {
    const meter = this.meter();
    if (!meter) return;
    const range = this.range();
    this.exporting.set(true);
    this.readings
      .exportCsv(meter.id, { ...range, parameter: this.parameter() })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (blob) => {
          this.exporting.set(false);
          saveFile(blob, `${meter.name}-${this.parameter()}-${range.aggregation}.csv`);
        },
        error: (error: unknown) => {
          this.exporting.set(false);
          this.snackBar.open(`The export failed: ${apiErrorMessage(error)}`, 'OK');
        },
      });
  }

  protected resolveIssue(issue: DataQualityIssueView): void {
    this.quality
      .resolve(issue.id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (resolved) =>
          this.issues.update((state) =>
            state.state === 'ready'
              ? {
                  ...state,
                  items: state.items.map((item) => (item.id === resolved.id ? resolved : item)),
                }
              : state,
          ),
        error: (error: unknown) => this.snackBar.open(apiErrorMessage(error), 'OK'),
      });
  }

  private loadLatest(id: string): void {
    this.readings
      .latest(id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (readings) => {
          this.latestError.set(null);
          this.latest.update((shown) => {
            const next = new Map(shown);
            for (const reading of readings) mergeLatest(next, reading);
            return next;
          });
          if (!readings.some((reading) => reading.parameter === this.parameter())) {
            const first = readings[0];
            if (first) this.parameter.set(first.parameter);
          }
        },
        error: (error: unknown) => this.latestError.set(apiErrorMessage(error)),
      });
  }

  private loadIssues(id: string): void {
    this.quality
      .forMeter(id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (page) => this.issues.set({ state: 'ready', items: page.items, total: page.total }),
        error: (error: unknown) =>
          this.issues.set({ state: 'failed', message: apiErrorMessage(error) }),
      });
  }

  private loadSeries(id: string, range: ReadingRange, parameter: Parameter) {
    return this.readings.page(id, { ...range, parameter }).pipe(
      map((page): ChartState => ({
        state: 'ready',
        stored: seriesOf(page.items, parameter),
        live: [],
        truncated: page.nextCursor !== undefined || page.items.length >= MAX_POINTS,
      })),
      catchError((error: unknown) =>
        of<ChartState>({ state: 'failed', message: apiErrorMessage(error) }),
      ),
    );
  }

  private loadDaily(id: string, counter: Parameter) {
    const now = new Date();
    const from = new Date(now.getFullYear(), now.getMonth(), now.getDate() - DAILY_BARS_DAYS + 1);
    return this.readings
      .page(id, { from, to: now, parameter: counter, aggregation: Aggregation.Daily })
      .pipe(
        map((page): DailyState => {
          const bars = dailyConsumption(page.items);
          return {
            state: 'ready',
            days: bars.days.length,
            options: dailyBarsOptions(bars, parameterUnit(counter), this.theme.mode() === 'dark'),
          };
        }),
        catchError((error: unknown) =>
          of<DailyState>({ state: 'failed', message: apiErrorMessage(error) }),
        ),
        startWith<DailyState>({ state: 'loading' }),
      );
  }

  private readingsArrived(readings: LiveReading[]): void {
    this.latest.update((shown) => {
      const next = new Map(shown);
      for (const reading of readings) mergeLatest(next, reading);
      return next;
    });
    const range = this.range();
    if (!range.live) return;
    const parameter = this.parameter();
    this.chart.update((chart) => {
      if (chart.state !== 'ready') return chart;
      // A raw series takes live readings as its own points; an aggregated one draws them beside.
      return range.aggregation === 'raw'
        ? { ...chart, stored: withLiveReadings(chart.stored, readings, parameter, range.from) }
        : { ...chart, live: withLiveReadings(chart.live, readings, parameter, range.from) };
    });
  }
}

const NO_DAILY: DailyState = { state: 'none' };

/** Keeps the newer of the shown and the arriving reading of a parameter. */
function mergeLatest(
  shown: Map<Parameter, LatestReading>,
  reading: Pick<LatestReading, 'parameter' | 'ts' | 'value' | 'unit' | 'quality'>,
): void {
  const current = shown.get(reading.parameter);
  if (current && Date.parse(current.ts) > Date.parse(reading.ts)) return;
  shown.set(reading.parameter, { ...reading });
}
