import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import { Scope, type AlertRuleView } from '@gridwatch/contracts';
import { switchMap } from 'rxjs';
import { apiErrorMessage } from '../shared/api-error';
import { loading, type Loaded } from '../shared/detail-load';
import { IfScopeDirective } from '../shared/if-scope.directive';
import { saveFile } from '../shared/save-file';
import { AlertPillComponent } from './alert-pill.component';
import { AlertRulesApiService } from './alerts-api.service';
import { ruleTargets } from './rule-names';
import { ruleInWords } from './rule-words';

/** The alert rules: each in words, with edit and delete; export and import of the whole set. */
@Component({
  selector: 'app-alert-rules',
  imports: [RouterLink, MatFormFieldModule, MatSelectModule, IfScopeDirective, AlertPillComponent],
  template: `
    <div class="page-header">
      <div>
        <h1>Alert rules</h1>
        <p class="page-subtitle">
          What raises an alert, and who hears of it. <a routerLink="/alerts">← Alerts</a>
        </p>
      </div>
      <div class="page-actions">
        <button
          type="button"
          class="btn btn-secondary"
          (click)="exportRules()"
          [disabled]="busy()"
          data-testid="rules-export"
        >
          Export
        </button>
        <a
          *appIfScope="Scope.AlertsWrite"
          routerLink="new"
          class="btn btn-primary"
          data-testid="rule-new"
          >New rule</a
        >
      </div>
    </div>

    <section
      class="card section import"
      *appIfScope="Scope.AlertsWrite"
      aria-labelledby="import-title"
    >
      <h2 id="import-title">Import rules</h2>
      <p class="muted">
        A file from Export: every rule in it is created, or none when one is refused.
      </p>
      <div class="import-row">
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>Site-wide rules watch</mat-label>
          <mat-select [value]="retarget()" (selectionChange)="retarget.set($event.value)">
            <mat-option value="">The site in the file</mat-option>
            @for (site of targets().sites; track site.id) {
              <mat-option [value]="site.id">{{ site.name }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <label class="btn btn-secondary file-button">
          Choose a file…
          <input
            type="file"
            accept="application/json,.json"
            class="visually-hidden"
            (change)="importFile($event)"
            data-testid="rules-import"
          />
        </label>
      </div>
      @if (importError(); as message) {
        <div class="alert alert-error" role="alert" data-testid="import-error">{{ message }}</div>
      }
    </section>

    @switch (rules().state) {
      @case ('loading') {
        <p role="status">Loading the rules…</p>
      }
      @case ('failed') {
        <div class="alert alert-error" role="alert">
          The rules could not be loaded: {{ failure() }}
        </div>
      }
    }
    <ul class="rules">
      @for (row of rows(); track row.rule.id) {
        <li class="card" data-testid="rule-row">
          <div class="rule-head">
            <strong data-testid="rule-name">{{ row.rule.name }}</strong>
            <app-alert-pill [value]="row.rule.severity" />
            @if (!row.rule.enabled) {
              <span class="muted">disabled</span>
            }
            <span class="spacer"></span>
            <ng-container *appIfScope="Scope.AlertsWrite">
              <a
                [routerLink]="[row.rule.id, 'edit']"
                class="btn btn-secondary btn-small"
                data-testid="rule-edit"
                >Edit</a
              >
              <button
                type="button"
                class="btn btn-secondary btn-small"
                (click)="remove(row.rule)"
                [attr.aria-label]="'Delete ' + row.rule.name"
              >
                Delete
              </button>
            </ng-container>
          </div>
          <p class="words" data-testid="rule-words">{{ row.words }}</p>
        </li>
      } @empty {
        @if (rules().state === 'ready') {
          <li class="card muted empty">No alert rules yet.</li>
        }
      }
    </ul>
  `,
  styles: `
    .import-row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--space-3);
    }
    .import-row .mat-mdc-form-field {
      min-width: 240px;
    }
    .file-button {
      position: relative;
    }
    .file-button:focus-within {
      outline: 2px solid var(--color-focus);
    }
    .rules {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: var(--space-3);
    }
    .rules li {
      padding: var(--space-3) var(--space-4);
    }
    .rule-head {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--space-2);
    }
    .spacer {
      flex: 1;
    }
    .words {
      margin: var(--space-2) 0 0;
      color: var(--color-text-muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AlertRulesComponent {
  private readonly api = inject(AlertRulesApiService);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly Scope = Scope;
  protected readonly targets = ruleTargets();
  private readonly version = signal(0);
  protected readonly rules = toSignal(
    toObservable(this.version).pipe(switchMap(() => loading(this.api.list()))),
    { initialValue: { state: 'loading' } as Loaded<AlertRuleView[]> },
  );
  protected readonly failure = computed(() => {
    const rules = this.rules();
    return rules.state === 'failed' ? rules.message : '';
  });
  protected readonly rows = computed(() => {
    const rules = this.rules();
    if (rules.state !== 'ready') return [];
    const { sites, meters } = this.targets();
    const siteNames = new Map(sites.map((site) => [site.id, site.name]));
    const meterNames = new Map(meters.map((meter) => [meter.id, meter.name]));
    return rules.value.map((rule) => ({
      rule,
      words: ruleInWords(rule, {
        site: rule.scope.siteId ? siteNames.get(rule.scope.siteId) : undefined,
        meter: rule.scope.meterId ? meterNames.get(rule.scope.meterId) : undefined,
      }),
    }));
  });
  protected readonly busy = signal(false);
  protected readonly retarget = signal('');
  protected readonly importError = signal<string | null>(null);

  protected exportRules(): void {
    this.busy.set(true);
    this.api
      .export()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (document) => {
          this.busy.set(false);
          const day = document.exportedAt.slice(0, 10);
          saveFile(
            new Blob([JSON.stringify(document, null, 2)], { type: 'application/json' }),
            `alert-rules-${day}.json`,
          );
        },
        error: (error: unknown) => {
          this.busy.set(false);
          this.snackBar.open(`The export failed: ${apiErrorMessage(error)}`, 'OK');
        },
      });
  }

  protected importFile(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    this.importError.set(null);
    void file.text().then((text) => {
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch {
        this.importError.set(`${file.name} is not a JSON file from Export.`);
        return;
      }
      this.api
        .import(document, this.retarget() || undefined)
        .pipe(takeUntilDestroyed(this.destroyRef))
        .subscribe({
          next: (created) => {
            this.version.update((version) => version + 1);
            this.snackBar.open(`${created.length} rules imported`, 'OK', { duration: 4000 });
          },
          error: (error: unknown) => this.importError.set(apiErrorMessage(error)),
        });
    });
  }

  protected remove(rule: AlertRuleView): void {
    if (!confirm(`Delete the rule "${rule.name}"? Its open alerts are resolved.`)) return;
    this.api
      .remove(rule.id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => this.version.update((version) => version + 1),
        error: (error: unknown) => this.snackBar.open(apiErrorMessage(error), 'OK'),
      });
  }
}
