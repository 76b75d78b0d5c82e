import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { SaveFailure } from './form-errors';

/** Above a form: why the API refused the save, with the field messages no control shows. */
@Component({
  selector: 'app-save-failure',
  template: `
    @if (failure(); as failure) {
      <div class="alert alert-error" role="alert" data-testid="form-error">
        {{ failure.message }}
        @if (failure.unplaced.length) {
          <ul class="error-list">
            @for (message of failure.unplaced; track message) {
              <li>{{ message }}</li>
            }
          </ul>
        }
      </div>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SaveFailureComponent {
  readonly failure = input<SaveFailure | null>(null);
}
