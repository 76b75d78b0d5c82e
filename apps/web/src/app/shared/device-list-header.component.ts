import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { Scope } from '@gridwatch/contracts';
import { IfScopeDirective } from './if-scope.directive';

/**
 * The top of a device list (sites, gateways, meters): its title, the "Add" link for those who may
 * write devices, and the search box followed by the list's own filters (projected).
 */
@Component({
  selector: 'app-device-list-header',
  imports: [RouterLink, ReactiveFormsModule, MatFormFieldModule, MatInputModule, IfScopeDirective],
  template: `
    <div class="page-header">
      <div>
        <h1>{{ title() }}</h1>
        <p class="page-subtitle">{{ subtitle() }}</p>
      </div>
      <a
        *appIfScope="Scope.DevicesWrite"
        routerLink="new"
        class="btn btn-primary"
        [attr.data-testid]="addTestId()"
        >{{ addLabel() }}</a
      >
    </div>
    <div class="filters">
      <mat-form-field>
        <mat-label>{{ searchLabel() }}</mat-label>
        <input matInput type="search" [formControl]="search()" data-testid="filter-q" />
      </mat-form-field>
      <ng-content />
    </div>
  `,
  styles: `
    :host {
      display: block;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeviceListHeaderComponent {
  protected readonly Scope = Scope;
  readonly title = input.required<string>();
  readonly subtitle = input.required<string>();
  readonly addLabel = input.required<string>();
  readonly addTestId = input.required<string>();
  readonly searchLabel = input.required<string>();
  /** The list's search text (the list follows it). */
  readonly search = input.required<FormControl<string>>();
}
