import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { StatusAction } from './status-actions';

/** Confirms a status move and asks why (kept in the audit trail); answers the reason. */
@Component({
  selector: 'app-status-dialog',
  imports: [MatDialogModule, ReactiveFormsModule, MatFormFieldModule, MatInputModule],
  template: `
    <h2 mat-dialog-title>{{ data.action.label }}: {{ data.meterName }}</h2>
    <mat-dialog-content>
      <p>{{ data.action.consequence }}</p>
      <mat-form-field class="reason">
        <mat-label>Reason{{ data.action.final ? '' : ' (optional)' }}</mat-label>
        <textarea matInput [formControl]="reason" rows="3" data-testid="status-reason"></textarea>
        <mat-hint>Kept in the event log</mat-hint>
        @if (reason.invalid) {
          <mat-error>A reason is needed for a final change</mat-error>
        }
      </mat-form-field>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button type="button" class="btn btn-secondary" mat-dialog-close>Cancel</button>
      <button
        type="button"
        class="btn btn-primary"
        [class.btn-danger]="data.action.final"
        (click)="confirm()"
        data-testid="status-confirm"
      >
        {{ data.action.label }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .reason {
      width: 100%;
    }
    .btn-danger {
      background: var(--color-danger-text);
      color: var(--color-surface);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StatusDialogComponent {
  protected readonly data = inject<{ action: StatusAction; meterName: string }>(MAT_DIALOG_DATA);
  private readonly ref = inject(MatDialogRef<StatusDialogComponent, string>);
  protected readonly reason = new FormControl('', {
    nonNullable: true,
    validators: this.data.action.final
      ? [Validators.required, Validators.maxLength(500)]
      : [Validators.maxLength(500)],
  });

  protected confirm(): void {
    if (this.reason.invalid) {
      this.reason.markAsTouched();
      return;
    }
    this.ref.close(this.reason.value.trim());
  }
}
