import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ReactiveFormsModule, type AbstractControl } from '@angular/forms';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Scope, type TariffDocument } from '@gridwatch/contracts';
import type { Subscription } from 'rxjs';
import { AuthService } from '../auth/auth.service';
import { apiError, apiErrorMessage } from '../shared/api-error';
import { applyApiErrors, controlMessage, type SaveFailure } from '../shared/form-errors';
import { SaveFailureComponent } from '../shared/save-failure.component';
import { EnergyApiService } from './energy-api.service';
import {
  bandForm,
  daysInWords,
  ISO_WEEKDAYS,
  newTariff,
  periodForm,
  tariffDocumentOf,
  tariffForm,
  type PeriodForm,
  type TariffForm,
} from './tariff-form';

type TariffState =
  | { state: 'loading' }
  | { state: 'ready'; updatedAt: string | null }
  | { state: 'failed'; message: string };

/**
 * A site's tariff: flat or time-of-use periods, the standing charge. Saving replaces the document
 * (earlier ones stay on record); the API's 400 names a gap or overlap, shown at its field.
 */
@Component({
  selector: 'app-tariff-editor',
  imports: [
    ReactiveFormsModule,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    SaveFailureComponent,
  ],
  template: `
    @switch (tariff().state) {
      @case ('loading') {
        <p role="status">Loading the tariff…</p>
      }
      @case ('failed') {
        <div class="alert alert-error" role="alert" data-testid="tariff-load-error">
          The tariff could not be loaded: {{ loadFailure() }}
        </div>
      }
      @case ('ready') {
        @if (!updatedAt()) {
          <p class="muted" data-testid="tariff-none">
            No tariff is set for this site yet, so costs cannot be worked out.
            @if (canEdit()) {
              Fill in the prices below and save.
            }
          </p>
        } @else {
          <p class="muted">Set {{ updatedAt() }}; earlier tariffs stay on record.</p>
        }
        <form [formGroup]="form" (ngSubmit)="save()" novalidate data-testid="tariff-form">
          <app-save-failure [failure]="failure()" />
          <div class="form-grid">
            <div class="type">
              <span class="label" id="tariff-type-label">Type</span>
              <mat-button-toggle-group
                formControlName="type"
                aria-labelledby="tariff-type-label"
                hideSingleSelectionIndicator
              >
                <mat-button-toggle value="flat" data-testid="tariff-type-flat"
                  >Flat</mat-button-toggle
                >
                <mat-button-toggle value="time_of_use" data-testid="tariff-type-tou"
                  >Time of use</mat-button-toggle
                >
              </mat-button-toggle-group>
            </div>
            <mat-form-field>
              <mat-label>Currency (ISO 4217)</mat-label>
              <input matInput formControlName="currency" data-testid="tariff-currency" />
              <mat-error>{{ message(form.controls.currency) }}</mat-error>
            </mat-form-field>
            <mat-form-field>
              <mat-label>Standing charge per day</mat-label>
              <input
                matInput
                type="number"
                min="0"
                step="0.01"
                formControlName="standingChargePerDay"
                data-testid="tariff-standing"
              />
              <mat-error>{{ message(form.controls.standingChargePerDay) }}</mat-error>
            </mat-form-field>
          </div>
          <div formArrayName="periods">
            @for (period of form.controls.periods.controls; track period; let p = $index) {
              <fieldset class="period" [formGroupName]="p" data-testid="tariff-period">
                <legend>Prices from {{ period.controls.validFrom.value || '…' }}</legend>
                <div class="row">
                  <mat-form-field subscriptSizing="dynamic">
                    <mat-label>Valid from</mat-label>
                    <input
                      matInput
                      formControlName="validFrom"
                      placeholder="YYYY-MM-DD"
                      [attr.data-testid]="'period-' + p + '-from'"
                    />
                    <mat-error>{{ message(period.controls.validFrom) }}</mat-error>
                  </mat-form-field>
                  <mat-form-field subscriptSizing="dynamic">
                    <mat-label>Valid until</mat-label>
                    <input
                      matInput
                      formControlName="validTo"
                      placeholder="open-ended"
                      title="The first date the prices no longer apply; empty for open-ended"
                    />
                    <mat-error>{{ message(period.controls.validTo) }}</mat-error>
                  </mat-form-field>
                  @if (type() === 'flat') {
                    <mat-form-field subscriptSizing="dynamic">
                      <mat-label>Price per kWh</mat-label>
                      <input
                        matInput
                        type="number"
                        min="0"
                        step="0.001"
                        formControlName="price"
                        [attr.data-testid]="'period-' + p + '-price'"
                      />
                      <mat-error>{{ message(period.controls.price) }}</mat-error>
                    </mat-form-field>
                  }
                  @if (canEdit() && form.controls.periods.length > 1) {
                    <button
                      type="button"
                      class="btn btn-secondary btn-small"
                      (click)="removePeriod(p)"
                    >
                      Remove period
                    </button>
                  }
                </div>
                @if (type() === 'time_of_use') {
                  @if (fieldMessage(period.controls.bands); as bandsMessage) {
                    <p
                      class="field-hint"
                      role="alert"
                      [attr.data-testid]="'period-' + p + '-bands-error'"
                    >
                      {{ bandsMessage }}
                    </p>
                  }
                  <div formArrayName="bands">
                    @for (band of period.controls.bands.controls; track band; let b = $index) {
                      <div class="row band" [formGroupName]="b" data-testid="tariff-band">
                        <mat-form-field subscriptSizing="dynamic" class="days">
                          <mat-label>Days</mat-label>
                          <mat-select formControlName="days" multiple>
                            <mat-select-trigger>{{
                              daysInWords(band.controls.days.value)
                            }}</mat-select-trigger>
                            @for (weekday of weekdays; track weekday.day) {
                              <mat-option [value]="weekday.day">{{ weekday.label }}</mat-option>
                            }
                          </mat-select>
                          <mat-error>{{ message(band.controls.days) }}</mat-error>
                        </mat-form-field>
                        <mat-form-field subscriptSizing="dynamic" class="time">
                          <mat-label>From</mat-label>
                          <input
                            matInput
                            formControlName="from"
                            placeholder="07:00"
                            [attr.data-testid]="'band-' + p + '-' + b + '-from'"
                          />
                          <mat-error>{{ message(band.controls.from) }}</mat-error>
                        </mat-form-field>
                        <mat-form-field subscriptSizing="dynamic" class="time">
                          <mat-label>To</mat-label>
                          <input
                            matInput
                            formControlName="to"
                            placeholder="24:00"
                            [attr.data-testid]="'band-' + p + '-' + b + '-to'"
                          />
                          <mat-error>{{ message(band.controls.to) }}</mat-error>
                        </mat-form-field>
                        <mat-form-field subscriptSizing="dynamic" class="price">
                          <mat-label>Price per kWh</mat-label>
                          <input
                            matInput
                            type="number"
                            min="0"
                            step="0.001"
                            formControlName="price"
                            [attr.data-testid]="'band-' + p + '-' + b + '-price'"
                          />
                          <mat-error>{{ message(band.controls.price) }}</mat-error>
                        </mat-form-field>
                        <mat-form-field subscriptSizing="dynamic" class="name">
                          <mat-label>Name</mat-label>
                          <input matInput formControlName="name" placeholder="day" />
                          <mat-error>{{ message(band.controls.name) }}</mat-error>
                        </mat-form-field>
                        @if (canEdit()) {
                          <button
                            type="button"
                            class="btn btn-secondary btn-small"
                            [attr.aria-label]="'Remove band ' + (b + 1)"
                            (click)="removeBand(period, b)"
                          >
                            Remove
                          </button>
                        }
                      </div>
                    }
                  </div>
                  @if (canEdit()) {
                    <button
                      type="button"
                      class="btn btn-secondary btn-small"
                      (click)="addBand(period)"
                      data-testid="tariff-add-band"
                    >
                      Add band
                    </button>
                  }
                }
              </fieldset>
            }
          </div>
          @if (canEdit()) {
            <div class="page-actions">
              <button type="button" class="btn btn-secondary" (click)="addPeriod()">
                Add a later period
              </button>
              <button
                type="submit"
                class="btn btn-primary"
                [disabled]="saving()"
                data-testid="tariff-save"
              >
                Save tariff
              </button>
            </div>
          }
        </form>
      }
    }
  `,
  styles: `
    .type {
      display: flex;
      flex-direction: column;
      gap: var(--space-1);
    }
    .label {
      font-size: 13px;
      color: var(--color-text-muted);
    }
    .period {
      border: 1px solid var(--color-border);
      border-radius: var(--radius-md);
      margin: 0 0 var(--space-3);
      padding: var(--space-3);
    }
    .period legend {
      font-weight: 600;
      padding: 0 var(--space-1);
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--space-2) var(--space-3);
      margin-bottom: var(--space-3);
    }
    .row .mat-mdc-form-field {
      width: 170px;
    }
    .row .time {
      width: 100px;
    }
    .row .price {
      width: 130px;
    }
    .row .days {
      width: 200px;
    }
    .band {
      padding-bottom: var(--space-2);
      border-bottom: 1px dashed var(--color-border);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TariffEditorComponent {
  private readonly api = inject(EnergyApiService);
  private readonly auth = inject(AuthService);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);

  readonly siteId = input.required<string>();
  /** A tariff was saved: the costs shown are out of date. */
  readonly saved = output<void>();

  protected readonly weekdays = ISO_WEEKDAYS;
  protected readonly daysInWords = daysInWords;
  protected readonly canEdit = computed(() => this.auth.can(Scope.SettingsWrite));
  protected readonly tariff = signal<TariffState>({ state: 'loading' });
  protected readonly updatedAt = computed(() => {
    const tariff = this.tariff();
    return tariff.state === 'ready' && tariff.updatedAt
      ? new Date(tariff.updatedAt).toLocaleString('en-GB')
      : null;
  });
  protected readonly loadFailure = computed(() => {
    const tariff = this.tariff();
    return tariff.state === 'failed' ? tariff.message : '';
  });
  protected form: TariffForm = tariffForm(newTariff(today()));
  protected readonly type = signal<TariffDocument['type']>('flat');
  protected readonly saving = signal(false);
  protected readonly failure = signal<SaveFailure | null>(null);
  /** Follows the shown form's type (a new form replaces it on each load and save). */
  private typeChanges: Subscription | null = null;

  constructor() {
    effect(() => this.load(this.siteId()));
  }

  protected message(control: AbstractControl): string {
    return controlMessage(control);
  }

  /** A message on a control without its own mat-error (a period's band list). */
  protected fieldMessage(control: AbstractControl): string {
    return control.errors?.['api'] ?? '';
  }

  protected addPeriod(): void {
    this.form.controls.periods.push(periodForm({ validFrom: '' }));
  }

  protected removePeriod(index: number): void {
    this.form.controls.periods.removeAt(index);
  }

  protected addBand(period: PeriodForm): void {
    const bands = period.controls.bands;
    const last = bands.at(bands.length - 1)?.getRawValue();
    bands.push(bandForm(last ? { days: last.days, from: last.to, to: '24:00' } : undefined));
  }

  protected removeBand(period: PeriodForm, index: number): void {
    period.controls.bands.removeAt(index);
  }

  protected save(): void {
    const siteId = this.siteId();
    this.failure.set(null);
    clearApiErrors(this.form);
    this.saving.set(true);
    this.api
      .saveTariff(siteId, tariffDocumentOf(this.form.getRawValue()))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (saved) => {
          this.saving.set(false);
          this.show(saved, saved.updatedAt);
          this.snackBar.open('Tariff saved', 'OK', { duration: 4000 });
          this.saved.emit();
        },
        error: (error: unknown) => {
          this.saving.set(false);
          this.failure.set(applyApiErrors(this.form, error));
        },
      });
  }

  private load(siteId: string): void {
    this.tariff.set({ state: 'loading' });
    this.failure.set(null);
    this.api
      .tariff(siteId)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (tariff) => this.show(tariff, tariff.updatedAt),
        error: (error: unknown) => {
          if (apiError(error)?.error === 'tariff_not_found') this.show(newTariff(today()), null);
          else this.tariff.set({ state: 'failed', message: apiErrorMessage(error) });
        },
      });
  }

  private show(document: TariffDocument, updatedAt: string | null): void {
    this.form = tariffForm(document);
    this.type.set(document.type);
    this.typeChanges?.unsubscribe();
    this.typeChanges = this.form.controls.type.valueChanges
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((type) => {
        this.type.set(type);
        // A time-of-use period starts with one band over the whole week.
        if (type === 'time_of_use')
          for (const period of this.form.controls.periods.controls)
            if (period.controls.bands.length === 0) period.controls.bands.push(bandForm());
      });
    if (!this.canEdit()) this.form.disable();
    this.tariff.set({ state: 'ready', updatedAt });
  }
}

/** The local date today as YYYY-MM-DD. */
function today(): string {
  const now = new Date();
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Drops the API's messages of the last save from every control before the next one. */
function clearApiErrors(control: AbstractControl): void {
  const children = (control as { controls?: Record<string, AbstractControl> | AbstractControl[] })
    .controls;
  if (children) for (const child of Object.values(children)) clearApiErrors(child);
  if (control.errors?.['api'] !== undefined) {
    const rest = { ...control.errors };
    delete rest['api'];
    control.setErrors(Object.keys(rest).length > 0 ? rest : null);
  }
}
