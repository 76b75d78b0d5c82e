import type { AbstractControl, FormGroup } from '@angular/forms';
import { apiErrorMessage, apiFieldErrors } from './api-error';

/** What a refused save tells the user: a sentence, and field messages no control shows. */
export interface SaveFailure {
  message: string;
  unplaced: string[];
}

/**
 * Puts the API's validation messages on the form's controls (as the `api` error, shown by each
 * field's mat-error) and answers the summary for the rest.
 */
export function applyApiErrors(form: FormGroup, error: unknown): SaveFailure {
  const unplaced: string[] = [];
  for (const [field, messages] of Object.entries(apiFieldErrors(error))) {
    const control = form.get(field);
    if (control) {
      control.setErrors({ ...(control.errors ?? {}), api: messages.join('; ') });
      control.markAsTouched();
    } else {
      unplaced.push(...messages);
    }
  }
  return { message: apiErrorMessage(error), unplaced };
}

/** The message a field's mat-error shows: the API's, else the form's own check. */
export function controlMessage(control: AbstractControl): string {
  const errors = control.errors;
  if (!errors) return '';
  if (typeof errors['api'] === 'string') return errors['api'];
  if (errors['required']) return 'Required';
  if (errors['email']) return 'Enter an email address';
  if (errors['min'] || errors['max']) return 'Out of range';
  return 'Not valid';
}
