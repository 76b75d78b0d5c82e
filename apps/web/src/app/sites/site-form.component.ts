import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import type { SiteView } from '@gridwatch/contracts';
import { Observable } from 'rxjs';
import { DevicesApiService, type SiteInput } from '../devices/devices-api.service';
import { apiErrorMessage } from '../shared/api-error';
import { applyApiErrors, controlMessage, type SaveFailure } from '../shared/form-errors';
import { SaveFailureComponent } from '../shared/save-failure.component';

/** Create a site, or edit one (`:id/edit`); the API's validation messages appear per field. */
@Component({
  selector: 'app-site-form',
  imports: [
    SaveFailureComponent,
    ReactiveFormsModule,
    RouterLink,
    MatFormFieldModule,
    MatInputModule,
  ],
  template: `
    <div class="page-header">
      <h1>{{ id ? 'Edit site' : 'New site' }}</h1>
    </div>
    @if (loadError(); as message) {
      <div class="alert alert-error" role="alert">{{ message }}</div>
    }
    <form class="card section" [formGroup]="form" (ngSubmit)="save()" novalidate>
      <app-save-failure [failure]="failure()" />
      <div class="form-grid">
        <mat-form-field>
          <mat-label>Code</mat-label>
          <input matInput formControlName="code" required data-testid="field-code" />
          <mat-hint>Unique in your organization, e.g. LDN-HQ</mat-hint>
          <mat-error>{{ message('code') }}</mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>Name</mat-label>
          <input matInput formControlName="name" required data-testid="field-name" />
          <mat-error>{{ message('name') }}</mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>Time zone (IANA)</mat-label>
          <input matInput formControlName="timezone" required data-testid="field-timezone" />
          <mat-hint>e.g. Europe/London</mat-hint>
          <mat-error>{{ message('timezone') }}</mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>Address</mat-label>
          <input matInput formControlName="address" />
          <mat-error>{{ message('address') }}</mat-error>
        </mat-form-field>
      </div>
      <div class="page-actions">
        <button type="submit" class="btn btn-primary" [disabled]="saving()" data-testid="save">
          Save
        </button>
        <a [routerLink]="id ? ['/sites', id] : ['/sites']" class="btn btn-secondary">Cancel</a>
      </div>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SiteFormComponent {
  private readonly api = inject(DevicesApiService);
  private readonly router = inject(Router);
  protected readonly id = inject(ActivatedRoute).snapshot.paramMap.get('id');
  protected readonly form = new FormGroup({
    code: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    name: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    timezone: new FormControl(Intl.DateTimeFormat().resolvedOptions().timeZone, {
      nonNullable: true,
      validators: [Validators.required],
    }),
    address: new FormControl('', { nonNullable: true }),
  });
  protected readonly saving = signal(false);
  protected readonly failure = signal<SaveFailure | null>(null);
  protected readonly loadError = signal<string | null>(null);

  constructor() {
    if (this.id) {
      this.api
        .getSite(this.id)
        .pipe(takeUntilDestroyed())
        .subscribe({
          next: (site) => this.form.patchValue({ ...site, address: site.address ?? '' }),
          error: (error: unknown) => this.loadError.set(apiErrorMessage(error)),
        });
    }
  }

  protected message(field: keyof typeof this.form.controls): string {
    return controlMessage(this.form.controls[field]);
  }

  protected save(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const value = this.form.getRawValue();
    const input: SiteInput = { ...value, address: value.address.trim() || null };
    const request: Observable<SiteView> = this.id
      ? this.api.updateSite(this.id, input)
      : this.api.createSite(input);
    this.saving.set(true);
    this.failure.set(null);
    request.subscribe({
      next: (site) => void this.router.navigate(['/sites', site.id]),
      error: (error: unknown) => {
        this.saving.set(false);
        this.failure.set(applyApiErrors(this.form, error));
      },
    });
  }
}
