import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { DeviceForm } from './device-form';

/**
 * The frame of a create-or-edit page: "New x" or "Edit x" and why it could not load; the page's
 * own <form> is projected below.
 */
@Component({
  selector: 'app-device-form-frame',
  template: `
    <div class="page-header">
      <h1>{{ state().id ? 'Edit ' + noun() : 'New ' + noun() }}</h1>
    </div>
    @if (state().loadError(); as message) {
      <div class="alert alert-error" role="alert">{{ message }}</div>
    }
    <ng-content />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeviceFormFrameComponent {
  readonly state = input.required<DeviceForm<{ id: string }>>();
  /** What the page creates or edits: "site", "gateway", "meter". */
  readonly noun = input.required<string>();
}

/** The last row of such a form: Save (while not saving) and Cancel. */
@Component({
  selector: 'app-device-form-actions',
  imports: [RouterLink],
  template: `
    <div class="page-actions">
      <button
        type="submit"
        class="btn btn-primary"
        [disabled]="state().saving()"
        data-testid="save"
      >
        Save
      </button>
      <a [routerLink]="state().cancelLink" class="btn btn-secondary">Cancel</a>
    </div>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeviceFormActionsComponent {
  readonly state = input.required<DeviceForm<{ id: string }>>();
}
