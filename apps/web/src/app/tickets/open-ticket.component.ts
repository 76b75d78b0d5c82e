import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  inject,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';
import { switchMap, map } from 'rxjs';
import { applyApiErrors, controlMessage, type SaveFailure } from '../shared/form-errors';
import { SaveFailureComponent } from '../shared/save-failure.component';
import { TicketsApiService } from './tickets-api.service';

/**
 * "Open a ticket" about a meter: the ticket is created with a snapshot of the meter as it is now
 * (its latest values and status), then opened.
 */
@Component({
  selector: 'app-open-ticket',
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, SaveFailureComponent],
  template: `
    <section class="card section" aria-labelledby="open-ticket-title">
      <h2 id="open-ticket-title">Open a ticket</h2>
      <p class="muted">The ticket keeps a snapshot of this meter's values as they are now.</p>
      <form [formGroup]="form" (ngSubmit)="open()" novalidate>
        <app-save-failure [failure]="failure()" />
        <mat-form-field class="subject">
          <mat-label>Subject</mat-label>
          <input matInput formControlName="subject" required data-testid="open-ticket-subject" />
          <mat-error>{{ message(form.controls.subject) }}</mat-error>
        </mat-form-field>
        <mat-form-field class="subject">
          <mat-label>What is wrong (optional)</mat-label>
          <textarea matInput rows="2" formControlName="description"></textarea>
          <mat-error>{{ message(form.controls.description) }}</mat-error>
        </mat-form-field>
        <button
          type="submit"
          class="btn btn-primary"
          [disabled]="opening()"
          data-testid="open-ticket"
        >
          Open ticket with snapshot
        </button>
      </form>
    </section>
  `,
  styles: `
    .subject {
      display: block;
      max-width: 560px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OpenTicketComponent {
  readonly meterId = input.required<string>();
  private readonly api = inject(TicketsApiService);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly form = new FormGroup({
    subject: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    description: new FormControl('', { nonNullable: true }),
  });
  protected readonly opening = signal(false);
  protected readonly failure = signal<SaveFailure | null>(null);
  protected readonly message = controlMessage;

  protected open(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const meterId = this.meterId();
    const { subject, description } = this.form.getRawValue();
    this.opening.set(true);
    this.failure.set(null);
    this.api
      .create({ subject, meterId, ...(description.trim() ? { description } : {}) })
      .pipe(
        switchMap((ticket) => this.api.captureSnapshot(ticket.id, meterId).pipe(map(() => ticket))),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (ticket) => void this.router.navigate(['/tickets', ticket.id]),
        error: (error: unknown) => {
          this.opening.set(false);
          this.failure.set(applyApiErrors(this.form, error));
        },
      });
  }
}
