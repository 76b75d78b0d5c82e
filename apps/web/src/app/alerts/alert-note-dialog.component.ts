import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

export interface AlertNoteDialogData {
  /** "Acknowledge", "Resolve", "Acknowledge 3 alerts". */
  action: string;
  subject: string;
}

/** Confirms an alert action and asks for an optional note (kept on the alert's timeline). */
@Component({
  selector: 'app-alert-note-dialog',
  imports: [MatDialogModule, ReactiveFormsModule, MatFormFieldModule, MatInputModule],
  template: `
    <h2 mat-dialog-title>{{ data.action }}: {{ data.subject }}</h2>
    <mat-dialog-content>
      <mat-form-field class="note">
        <mat-label>Note (optional)</mat-label>
        <textarea matInput [formControl]="note" rows="3" data-testid="alert-note"></textarea>
        <mat-hint>Kept on the alert's timeline</mat-hint>
        @if (note.invalid) {
          <mat-error>At most 2000 characters</mat-error>
        }
      </mat-form-field>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button type="button" class="btn btn-secondary" mat-dialog-close>Cancel</button>
      <button
        type="button"
        class="btn btn-primary"
        (click)="confirm()"
        data-testid="alert-note-confirm"
      >
        {{ data.action }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .note {
      width: 100%;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AlertNoteDialogComponent {
  protected readonly data = inject<AlertNoteDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject(MatDialogRef<AlertNoteDialogComponent, string>);
  protected readonly note = new FormControl('', {
    nonNullable: true,
    validators: [Validators.maxLength(2000)],
  });

  protected confirm(): void {
    if (this.note.invalid) return;
    this.ref.close(this.note.value);
  }
}
