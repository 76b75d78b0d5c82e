import { DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { FormGroup } from '@angular/forms';
import { ActivatedRoute, Router } from '@angular/router';
import type { Observable } from 'rxjs';
import { apiErrorMessage } from './api-error';
import { applyApiErrors, type SaveFailure } from './form-errors';

/**
 * The state every create-or-edit page of an area shares (injection context): the `:id` being
 * edited (null when creating), why what the form needs could not be loaded, and the save that
 * opens the saved object's page or puts the API's refusal on the fields.
 */
export class DeviceForm<T extends { id: string }> {
  readonly id = inject(ActivatedRoute).snapshot.paramMap.get('id');
  readonly saving = signal(false);
  readonly failure = signal<SaveFailure | null>(null);
  readonly loadError = signal<string | null>(null);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);

  /** `area`: the route of the area's list, e.g. `/sites`; the saved object opens below it. */
  constructor(readonly area: string) {}

  /** Where Cancel goes: the edited object's page, else the list. */
  get cancelLink(): string[] {
    return this.id ? [this.area, this.id] : [this.area];
  }

  /** Loads something the form needs (the edited object, the sites to choose from). */
  load<V>(source: Observable<V>, next: (value: V) => void): void {
    source.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next,
      error: (error: unknown) => this.loadError.set(apiErrorMessage(error)),
    });
  }

  /** When editing, loads the object and fills the form with it. */
  edit(get: (id: string) => Observable<T>, fill: (item: T) => void): void {
    if (this.id) this.load(get(this.id), fill);
  }

  /**
   * Saves a valid form (`request` gets the edited id, null to create) and opens the saved object;
   * an invalid form shows its messages, a refusal shows the API's under the fields.
   */
  save(form: FormGroup, request: (id: string | null) => Observable<T>): void {
    if (form.invalid) {
      form.markAllAsTouched();
      return;
    }
    this.saving.set(true);
    this.failure.set(null);
    request(this.id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (saved) => void this.router.navigate([this.area, saved.id]),
        error: (error: unknown) => {
          this.saving.set(false);
          this.failure.set(applyApiErrors(form, error));
        },
      });
  }
}
