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
import {
  FormControl,
  FormGroup,
  FormGroupDirective,
  ReactiveFormsModule,
  Validators,
} from '@angular/forms';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import { Scope, type SiteView } from '@gridwatch/contracts';
import { NgxEchartsDirective } from 'ngx-echarts';
import {
  catchError,
  combineLatest,
  EMPTY,
  filter,
  map,
  merge,
  Observable,
  of,
  share,
  switchMap,
  throwError,
} from 'rxjs';
import { DevicesApiService } from '../devices/devices-api.service';
import { formatValue } from '../meters/chart-options';
import { apiError, apiErrorMessage, downloadErrorMessage } from '../shared/api-error';
import { asLoaded, loading, type Loaded } from '../shared/detail-load';
import { RealtimeSession } from '../realtime/realtime-session.service';
import { applyApiErrors, controlMessage, type SaveFailure } from '../shared/form-errors';
import { IfScopeDirective } from '../shared/if-scope.directive';
import { LoadStateComponent } from '../shared/load-state.component';
import { meterKindLabel } from '../shared/labels';
import { listing, type Listing } from '../shared/listing';
import { SaveFailureComponent } from '../shared/save-failure.component';
import { saveFile } from '../shared/save-file';
import { ThemeService } from '../shared/theme.service';
import {
  EnergyApiService,
  type AnalyticsTarget,
  type Comparison,
  type Consumption,
  type Cost,
  type OperatingHoursSplit,
  type PeriodQuery,
  type ReportFormat,
  type ReportPeriod,
  type ReportSubscription,
  type UsageProfile,
} from './energy-api.service';
import {
  bandTotals,
  changeText,
  comparisonLabel,
  consumptionChartOptions,
  consumptionTotals,
  costChartOptions,
  costTotals,
  ENERGY_PRESETS,
  energyRangeOf,
  money,
  percent,
  profileIsEmpty,
  usageProfileOptions,
  type EnergyPreset,
} from './energy-charts';
import { TariffEditorComponent } from './tariff-editor.component';

type ProfileDays = keyof Omit<UsageProfile, 'timezone'>;

/** How far back the usage profile and the out-of-hours split look. */
const PROFILE_DAYS = 28;

/** After new readings of the site, its figures are asked again at most this often. */
const LIVE_REFRESH_MS = 5_000;

/**
 * A site's energy: consumption and cost by period with a comparison, its usage profile and
 * out-of-hours waste, its tariff, and its reports (download and e-mail subscriptions).
 */
@Component({
  selector: 'app-energy-page',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    RouterLink,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    NgxEchartsDirective,
    IfScopeDirective,
    LoadStateComponent,
    SaveFailureComponent,
    TariffEditorComponent,
  ],
  templateUrl: './energy-page.component.html',
  styleUrl: './energy-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EnergyPageComponent {
  private readonly api = inject(EnergyApiService);
  private readonly devices = inject(DevicesApiService);
  private readonly theme = inject(ThemeService);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);
  private readonly live = inject(RealtimeSession);

  protected readonly Scope = Scope;
  protected readonly presets = ENERGY_PRESETS;
  protected readonly formatValue = formatValue;
  protected readonly money = money;
  protected readonly percent = percent;
  protected readonly kindLabel = meterKindLabel;

  protected readonly siteListing = toSignal(listing(this.devices.listSites({ limit: 200 })), {
    initialValue: { state: 'loading' } as Listing<SiteView>,
  });
  protected readonly sites = computed(() => {
    const sites = this.siteListing();
    return sites.state === 'ready' ? sites.items : [];
  });
  protected readonly sitesFailure = computed(() => {
    const sites = this.siteListing();
    return sites.state === 'failed' ? sites.message : '';
  });
  private readonly chosenSite = signal<string | null>(null);
  /** The chosen site, else the first one. */
  protected readonly siteId = computed(() => this.chosenSite() ?? this.sites()[0]?.id ?? null);
  protected readonly preset = signal<EnergyPreset>('week');
  protected readonly compare = signal<Comparison | null>('previous');
  protected readonly profileDays = signal<ProfileDays>('weekdays');
  /** Bumped after a tariff is saved: the costs are worked out again. */
  private readonly tariffVersion = signal(0);

  /** What the figures are of; their range is worked out at each request, so it ends now. */
  private readonly query = computed(() => {
    const id = this.siteId();
    if (!id) return null;
    return {
      id,
      preset: this.preset(),
      compare: this.compare(),
      tariffVersion: this.tariffVersion(),
    };
  });
  private readonly query$ = toObservable(this.query).pipe(filter((query) => query !== null));
  /** New readings of the chosen site (or a fallback tick): the figures are asked again, quietly. */
  private readonly siteReadings$ = toObservable(this.siteId).pipe(
    switchMap((id) =>
      id === null ? EMPTY : merge(this.live.poll$, this.live.readingTicks(LIVE_REFRESH_MS, id)),
    ),
    share(),
  );

  protected readonly consumption = toSignal(
    this.query$.pipe(
      switchMap((query) => this.followReadings(() => this.api.consumption(periodOf(query)))),
    ),
    { initialValue: { state: 'loading' } as Loaded<Consumption> },
  );
  /** The costs; null when the site has no tariff (said, not shown as zero). */
  protected readonly cost = toSignal(
    this.query$.pipe(
      switchMap((query) =>
        this.followReadings(() =>
          this.api
            .cost(periodOf(query))
            .pipe(
              catchError((error: unknown) =>
                apiError(error)?.error === 'tariff_not_found' ? of(null) : throwError(() => error),
              ),
            ),
        ),
      ),
    ),
    { initialValue: { state: 'loading' } as Loaded<Cost | null> },
  );
  /** The last four weeks up to now, for the profile and the out-of-hours split. */
  private readonly recent$ = combineLatest([
    toObservable(this.siteId).pipe(filter((id): id is string => id !== null)),
    toObservable(this.tariffVersion),
  ]).pipe(map(([id]) => id));
  protected readonly profile = toSignal(
    this.recent$.pipe(
      switchMap((id) => this.followReadings(() => this.api.usageProfile(recentOf(id)))),
    ),
    { initialValue: { state: 'loading' } as Loaded<UsageProfile> },
  );
  protected readonly hours = toSignal(
    this.recent$.pipe(
      switchMap((id) => this.followReadings(() => this.api.operatingHours(recentOf(id)))),
    ),
    { initialValue: { state: 'loading' } as Loaded<OperatingHoursSplit> },
  );
  protected readonly split = computed(() => {
    const hours = this.hours();
    return hours.state === 'ready' ? hours.value : null;
  });

  protected readonly consumptionTotals = computed(() => {
    const consumption = this.consumption();
    return consumption.state === 'ready' ? consumptionTotals(consumption.value.items) : null;
  });
  protected readonly consumptionOptions = computed(() => {
    const consumption = this.consumption();
    if (consumption.state !== 'ready') return null;
    const interval = energyRangeOf(this.preset(), new Date()).interval;
    return consumptionChartOptions(consumption.value, interval, this.compare(), this.dark());
  });
  protected readonly costValue = computed(() => {
    const cost = this.cost();
    return cost.state === 'ready' ? cost.value : null;
  });
  protected readonly noTariff = computed(() => {
    const cost = this.cost();
    return cost.state === 'ready' && cost.value === null;
  });
  protected readonly costTotals = computed(() => {
    const cost = this.costValue();
    return cost ? costTotals(cost) : null;
  });
  protected readonly bands = computed(() => {
    const cost = this.costValue();
    return cost ? bandTotals(cost) : [];
  });
  protected readonly costOptions = computed(() => {
    const cost = this.costValue();
    if (!cost) return null;
    const interval = energyRangeOf(this.preset(), new Date()).interval;
    return costChartOptions(cost, interval, this.compare(), this.dark());
  });
  protected readonly profileOptions = computed(() => {
    const profile = this.profile();
    if (profile.state !== 'ready') return null;
    const hours = profile.value[this.profileDays()];
    return profileIsEmpty(hours) ? null : usageProfileOptions(hours, this.dark());
  });
  protected readonly comparisonLabel = computed(() => {
    const compare = this.compare();
    return compare ? comparisonLabel(compare).toLowerCase() : '';
  });

  protected readonly changeText = changeText;

  // Reports: download, and the e-mail subscriptions of the chosen site.
  protected readonly reportForm = new FormGroup({
    period: new FormControl<ReportPeriod>('week', { nonNullable: true }),
    date: new FormControl('', { nonNullable: true }),
  });
  protected readonly downloading = signal<ReportFormat | null>(null);
  private readonly subscriptionsVersion = signal(0);
  protected readonly subscriptionListing = toSignal(
    toObservable(this.subscriptionsVersion).pipe(
      switchMap(() => listing(this.api.subscriptions())),
    ),
    { initialValue: { state: 'loading' } as Listing<ReportSubscription> },
  );
  protected readonly subscriptionsFailure = computed(() => {
    const list = this.subscriptionListing();
    return list.state === 'failed' ? list.message : '';
  });
  protected readonly siteSubscriptions = computed(() => {
    const list = this.subscriptionListing();
    const siteId = this.siteId();
    return list.state === 'ready' ? list.items.filter((item) => item.siteId === siteId) : [];
  });
  protected readonly subscribeForm = new FormGroup({
    period: new FormControl<ReportPeriod>('week', { nonNullable: true }),
    recipients: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
  });
  protected readonly subscribing = signal(false);
  protected readonly subscribeFailure = signal<SaveFailure | null>(null);
  protected readonly message = controlMessage;

  protected chooseSite(id: string): void {
    this.chosenSite.set(id);
  }

  protected choosePreset(preset: EnergyPreset): void {
    this.preset.set(preset);
  }

  protected chooseComparison(compare: Comparison | 'none'): void {
    this.compare.set(compare === 'none' ? null : compare);
  }

  protected chooseProfileDays(days: ProfileDays): void {
    this.profileDays.set(days);
  }

  protected tariffSaved(): void {
    this.tariffVersion.update((version) => version + 1);
  }

  protected download(format: ReportFormat): void {
    const siteId = this.siteId();
    if (!siteId) return;
    const { period, date } = this.reportForm.getRawValue();
    this.downloading.set(format);
    this.api
      .report(siteId, period, format, date.trim() || undefined)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (blob) => {
          this.downloading.set(null);
          const site = this.sites().find((entry) => entry.id === siteId);
          saveFile(blob, `${site?.code ?? 'site'}-${period}-report.${format}`);
        },
        error: (error: unknown) => {
          this.downloading.set(null);
          void downloadErrorMessage(error).then((message) =>
            this.snackBar.open(`The report could not be downloaded: ${message}`, 'OK'),
          );
        },
      });
  }

  protected subscribe(directive: FormGroupDirective): void {
    const siteId = this.siteId();
    if (!siteId || this.subscribeForm.invalid) {
      this.subscribeForm.markAllAsTouched();
      return;
    }
    const { period, recipients } = this.subscribeForm.getRawValue();
    this.subscribing.set(true);
    this.subscribeFailure.set(null);
    this.api
      .subscribe(siteId, period, recipientsOf(recipients))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.subscribing.set(false);
          // resetForm: also forgets the submission, so "Required" does not show on the empty field.
          directive.resetForm({ period, recipients: '' });
          this.subscriptionsVersion.update((version) => version + 1);
          this.snackBar.open('Subscribed: the report will be e-mailed on schedule', 'OK', {
            duration: 4000,
          });
        },
        error: (error: unknown) => {
          this.subscribing.set(false);
          this.subscribeFailure.set(applyApiErrors(this.subscribeForm, error));
        },
      });
  }

  protected unsubscribe(subscription: ReportSubscription): void {
    this.api
      .unsubscribe(subscription.id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => this.subscriptionsVersion.update((version) => version + 1),
        error: (error: unknown) => this.snackBar.open(apiErrorMessage(error), 'OK'),
      });
  }

  /**
   * `load()` with a loading state, then again without one each time the site's readings move; a
   * refresh that fails keeps the figures shown (the first failure is said).
   */
  private followReadings<T>(load: () => Observable<T>): Observable<Loaded<T>> {
    return merge(
      loading(load()),
      this.siteReadings$.pipe(
        switchMap(() => asLoaded(load()).pipe(filter((loaded) => loaded.state === 'ready'))),
      ),
    );
  }

  private dark(): boolean {
    return this.theme.mode() === 'dark';
  }
}

/** The period query of the chosen range, ending now. */
function periodOf(query: {
  id: string;
  preset: EnergyPreset;
  compare: Comparison | null;
}): PeriodQuery {
  return {
    scope: 'site',
    id: query.id,
    ...energyRangeOf(query.preset, new Date()),
    ...(query.compare ? { compare: query.compare } : {}),
  };
}

/** The last four weeks up to now. */
function recentOf(id: string): AnalyticsTarget {
  const to = new Date();
  return { scope: 'site', id, from: new Date(to.getTime() - PROFILE_DAYS * 24 * 3600_000), to };
}

/** "a@x.com, b@y.com; c@z.com" → the addresses, one each. */
export function recipientsOf(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((address) => address.trim())
    .filter((address) => address !== '');
}
