import { Clipboard } from '@angular/cdk/clipboard';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { ReactiveFormsModule, type AbstractControl } from '@angular/forms';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import {
  ALERT_CONDITIONS,
  ALERT_SEVERITIES,
  NOTIFICATION_CHANNELS,
  PARAMETERS,
  type AlertCondition,
  type AlertSchedule,
  type NotificationChannel,
} from '@gridwatch/contracts';
import { map, startWith } from 'rxjs';
import { apiErrorMessage } from '../shared/api-error';
import { applyApiErrors, controlMessage, type SaveFailure } from '../shared/form-errors';
import { parameterLabel } from '../shared/labels';
import { SaveFailureComponent } from '../shared/save-failure.component';
import { AlertRulesApiService } from './alerts-api.service';
import { ruleTargets } from './rule-names';
import { ruleForm, ruleInputOf } from './rule-form';
import { durationInWords, needsParameter, needsThreshold, ruleInWords } from './rule-words';

const CONDITION_LABELS: Record<AlertCondition, string> = {
  above: 'Above a threshold',
  below: 'Below a threshold',
  rate_of_change: 'Changes faster than (per minute)',
  no_data: 'No data for a while',
  data_quality: 'Reading quality not good',
  device_offline: 'Meter offline',
};
const SCHEDULE_LABELS: Record<AlertSchedule, string> = {
  always: 'Always',
  in_hours: 'In opening hours only',
  out_of_hours: 'Outside opening hours only',
};
const CHANNEL_LABELS: Record<NotificationChannel, string> = {
  in_app: 'In the app',
  email: 'E-mail',
  webhook: 'Webhook',
};

/** Create or edit an alert rule, with the rule in words beside it; the API's messages per field. */
@Component({
  selector: 'app-alert-rule-form',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    SaveFailureComponent,
  ],
  template: `
    <div class="page-header">
      <div>
        <h1>{{ id ? 'Edit alert rule' : 'New alert rule' }}</h1>
        <p class="page-subtitle"><a routerLink="/alerts/rules">← All rules</a></p>
      </div>
    </div>
    @if (loadError(); as message) {
      <div class="alert alert-error" role="alert">{{ message }}</div>
    }
    @if (webhookSecret(); as secret) {
      <section
        class="card section secret"
        aria-labelledby="secret-title"
        data-testid="webhook-secret"
      >
        <h2 id="secret-title">Webhook secret — shown once</h2>
        <p>
          Deliveries carry <code>X-GridWatch-Signature: sha256=&lt;HMAC of the body&gt;</code>
          keyed with this secret. Copy it now: it is not shown again.
        </p>
        <p class="mono">{{ secret }}</p>
        <div class="page-actions">
          <button type="button" class="btn btn-secondary" (click)="copy(secret)">Copy</button>
          <a routerLink="/alerts/rules" class="btn btn-primary">Done</a>
        </div>
      </section>
    }
    <div class="layout">
      <form class="card section" [formGroup]="form" (ngSubmit)="save()" novalidate>
        <app-save-failure [failure]="failure()" />
        <div class="form-grid">
          <mat-form-field>
            <mat-label>Name</mat-label>
            <input matInput formControlName="name" required data-testid="rule-field-name" />
            <mat-error>{{ message(form.controls.name) }}</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Severity</mat-label>
            <mat-select formControlName="severity" data-testid="rule-field-severity">
              @for (severity of severities; track severity) {
                <mat-option [value]="severity">{{ severity }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
        </div>
        <fieldset formGroupName="scope">
          <legend>Watches</legend>
          <div class="form-grid">
            <mat-form-field>
              <mat-label>Site</mat-label>
              <mat-select formControlName="siteId">
                <mat-option value="">Every site</mat-option>
                @for (site of targets().sites; track site.id) {
                  <mat-option [value]="site.id">{{ site.name }}</mat-option>
                }
              </mat-select>
              <mat-error>{{ message(form.controls.scope.controls.siteId) }}</mat-error>
            </mat-form-field>
            <mat-form-field>
              <mat-label>Meter</mat-label>
              <mat-select formControlName="meterId" data-testid="rule-field-meter">
                <mat-option value=""
                  >Every meter{{ value().scope.siteId ? ' of the site' : '' }}</mat-option
                >
                @for (meter of meters(); track meter.id) {
                  <mat-option [value]="meter.id">{{ meter.name }}</mat-option>
                }
              </mat-select>
              <mat-error>{{ message(form.controls.scope.controls.meterId) }}</mat-error>
            </mat-form-field>
          </div>
        </fieldset>
        <fieldset>
          <legend>Condition</legend>
          <div class="form-grid">
            <mat-form-field>
              <mat-label>Condition</mat-label>
              <mat-select formControlName="condition" data-testid="rule-field-condition">
                @for (condition of conditions; track condition) {
                  <mat-option [value]="condition">{{ conditionLabel(condition) }}</mat-option>
                }
              </mat-select>
            </mat-form-field>
            @if (usesParameter()) {
              <mat-form-field>
                <mat-label>Parameter</mat-label>
                <mat-select formControlName="parameter" data-testid="rule-field-parameter">
                  @if (!usesThreshold()) {
                    <mat-option value="">Any parameter</mat-option>
                  }
                  @for (parameter of parameters; track parameter) {
                    <mat-option [value]="parameter">{{ parameterLabel(parameter) }}</mat-option>
                  }
                </mat-select>
                <mat-error>{{ message(form.controls.parameter) }}</mat-error>
              </mat-form-field>
            }
            @if (usesThreshold()) {
              <mat-form-field>
                <mat-label>Threshold</mat-label>
                <input
                  matInput
                  type="number"
                  formControlName="threshold"
                  data-testid="rule-field-threshold"
                />
                <mat-error>{{ message(form.controls.threshold) }}</mat-error>
              </mat-form-field>
            }
            <mat-form-field>
              <mat-label>For (seconds)</mat-label>
              <input
                matInput
                type="number"
                min="0"
                formControlName="durationSeconds"
                data-testid="rule-field-duration"
              />
              <mat-hint>{{ secondsHint(value().durationSeconds) }}</mat-hint>
              <mat-error>{{ message(form.controls.durationSeconds) }}</mat-error>
            </mat-form-field>
            <mat-form-field>
              <mat-label>Schedule</mat-label>
              <mat-select formControlName="schedule" data-testid="rule-field-schedule">
                @for (schedule of schedules; track schedule) {
                  <mat-option [value]="schedule">{{ scheduleLabel(schedule) }}</mat-option>
                }
              </mat-select>
            </mat-form-field>
            <mat-form-field>
              <mat-label>Quiet after an alert (seconds)</mat-label>
              <input matInput type="number" min="0" formControlName="cooldownSeconds" />
              <mat-hint>{{ secondsHint(value().cooldownSeconds) }}</mat-hint>
              <mat-error>{{ message(form.controls.cooldownSeconds) }}</mat-error>
            </mat-form-field>
          </div>
        </fieldset>
        <fieldset>
          <legend>Notifications</legend>
          <div class="form-grid">
            <mat-form-field>
              <mat-label>Channels</mat-label>
              <mat-select formControlName="channels" multiple data-testid="rule-field-channels">
                @for (channel of channels; track channel) {
                  <mat-option [value]="channel">{{ channelLabel(channel) }}</mat-option>
                }
              </mat-select>
              <mat-error>{{ message(form.controls.channels) }}</mat-error>
            </mat-form-field>
            <ng-container formGroupName="recipients">
              <mat-form-field>
                <mat-label>Also e-mail</mat-label>
                <input
                  matInput
                  formControlName="emails"
                  placeholder="ops@example.com, …"
                  data-testid="rule-field-emails"
                />
                <mat-error>{{ message(form.controls.recipients.controls.emails) }}</mat-error>
              </mat-form-field>
              <mat-form-field>
                <mat-label>Webhook URL</mat-label>
                <input matInput formControlName="webhookUrl" placeholder="https://…" />
                <mat-error>{{ message(form.controls.recipients.controls.webhookUrl) }}</mat-error>
              </mat-form-field>
            </ng-container>
            <mat-form-field>
              <mat-label>Notify again every (minutes)</mat-label>
              <input matInput type="number" min="1" formControlName="repeatMinutes" />
              <mat-hint>Empty: once</mat-hint>
              <mat-error>{{ message(form.controls.repeatMinutes) }}</mat-error>
            </mat-form-field>
          </div>
          <mat-checkbox formControlName="escalate" data-testid="rule-field-escalate"
            >Escalate while nobody acknowledges</mat-checkbox
          >
          @if (value().escalate) {
            <div class="form-grid" formGroupName="escalation">
              <mat-form-field>
                <mat-label>After (minutes)</mat-label>
                <input matInput type="number" min="1" formControlName="afterMinutes" />
                <mat-error>{{ message(form.controls.escalation.controls.afterMinutes) }}</mat-error>
              </mat-form-field>
              <mat-form-field>
                <mat-label>Up to level</mat-label>
                <input matInput type="number" min="1" max="10" formControlName="maxLevel" />
                <mat-error>{{ message(form.controls.escalation.controls.maxLevel) }}</mat-error>
              </mat-form-field>
            </div>
          }
        </fieldset>
        <div class="checks">
          <mat-checkbox formControlName="autoResolve"
            >Resolve when the condition clears</mat-checkbox
          >
          <mat-checkbox formControlName="enabled">Enabled</mat-checkbox>
        </div>
        <div class="page-actions">
          <button
            type="submit"
            class="btn btn-primary"
            [disabled]="saving()"
            data-testid="rule-save"
          >
            Save rule
          </button>
          <a routerLink="/alerts/rules" class="btn btn-secondary">Cancel</a>
        </div>
      </form>
      <aside class="card section preview" aria-labelledby="preview-title">
        <h2 id="preview-title">In words</h2>
        <p aria-live="polite" data-testid="rule-preview">{{ preview() }}</p>
      </aside>
    </div>
  `,
  styles: `
    .layout {
      display: grid;
      grid-template-columns: minmax(0, 1fr) minmax(240px, 340px);
      gap: var(--space-4);
      align-items: start;
    }
    @media (max-width: 900px) {
      .layout {
        grid-template-columns: minmax(0, 1fr);
      }
      .preview {
        order: -1;
      }
    }
    .preview {
      position: sticky;
      top: var(--space-4);
    }
    fieldset {
      border: 1px solid var(--color-border);
      border-radius: var(--radius-md);
      margin: 0 0 var(--space-4);
      padding: var(--space-3);
    }
    legend {
      font-weight: 600;
      padding: 0 var(--space-1);
    }
    .checks {
      display: flex;
      flex-wrap: wrap;
      gap: var(--space-3);
      margin-bottom: var(--space-4);
    }
    .secret .mono {
      padding: var(--space-2);
      background: var(--color-surface-muted);
      border-radius: var(--radius-md);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AlertRuleFormComponent {
  private readonly api = inject(AlertRulesApiService);
  private readonly router = inject(Router);
  private readonly snackBar = inject(MatSnackBar);
  private readonly clipboard = inject(Clipboard);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly id = inject(ActivatedRoute).snapshot.paramMap.get('id');
  protected readonly severities = [...ALERT_SEVERITIES].reverse();
  protected readonly conditions = ALERT_CONDITIONS;
  protected readonly schedules = Object.keys(SCHEDULE_LABELS) as AlertSchedule[];
  protected readonly channels = NOTIFICATION_CHANNELS;
  protected readonly parameters = PARAMETERS;
  protected readonly parameterLabel = parameterLabel;
  protected readonly conditionLabel = (condition: AlertCondition) => CONDITION_LABELS[condition];
  protected readonly scheduleLabel = (schedule: AlertSchedule) => SCHEDULE_LABELS[schedule];
  protected readonly channelLabel = (channel: NotificationChannel) => CHANNEL_LABELS[channel];

  protected readonly targets = ruleTargets();
  protected readonly form = ruleForm();
  /** Users the edited rule notifies: kept as they are (the editor does not pick users). */
  private userIds: string[] = [];
  protected readonly value = toSignal(
    this.form.valueChanges.pipe(
      startWith(null),
      map(() => this.form.getRawValue()),
    ),
    { initialValue: this.form.getRawValue() },
  );
  protected readonly usesThreshold = computed(() => needsThreshold(this.value().condition));
  protected readonly usesParameter = computed(() => needsParameter(this.value().condition));
  /** The site's meters when a site is chosen, else every meter. */
  protected readonly meters = computed(() => {
    const siteId = this.value().scope.siteId;
    const meters = this.targets().meters;
    return siteId ? meters.filter((meter) => meter.siteId === siteId) : meters;
  });
  protected readonly preview = computed(() => {
    const rule = ruleInputOf(this.value(), this.userIds);
    const { sites, meters } = this.targets();
    return ruleInWords(rule, {
      site: sites.find((site) => site.id === rule.scope.siteId)?.name,
      meter: meters.find((meter) => meter.id === rule.scope.meterId)?.name,
    });
  });
  protected readonly loadError = signal<string | null>(null);
  protected readonly saving = signal(false);
  protected readonly failure = signal<SaveFailure | null>(null);
  protected readonly webhookSecret = signal<string | null>(null);

  constructor() {
    if (this.id) {
      this.api
        .get(this.id)
        .pipe(takeUntilDestroyed())
        .subscribe({
          next: (rule) => {
            this.userIds = rule.recipients.userIds;
            const fresh = ruleForm(rule);
            this.form.setValue(fresh.getRawValue());
          },
          error: (error: unknown) => this.loadError.set(apiErrorMessage(error)),
        });
    }
  }

  protected message(control: AbstractControl): string {
    return controlMessage(control);
  }

  protected secondsHint(seconds: number | null): string {
    return seconds ? durationInWords(seconds) : 'At once';
  }

  protected copy(secret: string): void {
    this.clipboard.copy(secret);
    this.snackBar.open('Copied', undefined, { duration: 2000 });
  }

  protected save(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const rule = ruleInputOf(this.form.getRawValue(), this.userIds);
    this.saving.set(true);
    this.failure.set(null);
    const request = this.id ? this.api.update(this.id, rule) : this.api.create(rule);
    request.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: (saved) => {
        this.saving.set(false);
        this.snackBar.open(`Rule “${saved.name}” saved`, 'OK', { duration: 4000 });
        if (saved.webhookSecret) this.webhookSecret.set(saved.webhookSecret);
        else void this.router.navigate(['/alerts/rules']);
      },
      error: (error: unknown) => {
        this.saving.set(false);
        this.failure.set(applyApiErrors(this.form, error));
      },
    });
  }
}
