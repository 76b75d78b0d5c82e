import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { SiteView, Weekday } from '@gridwatch/contracts';
import { hoursFieldsOf, operatingHoursFrom, WEEKDAYS } from './operating-hours';
import { DevicesApiService, type SiteInput } from '../devices/devices-api.service';
import { DeviceForm } from '../shared/device-form';
import {
  DeviceFormActionsComponent,
  DeviceFormFrameComponent,
} from '../shared/device-form-frame.component';
import { controlMessage } from '../shared/form-errors';
import { SaveFailureComponent } from '../shared/save-failure.component';

/** Create a site, or edit one (`:id/edit`); the API's validation messages appear per field. */
@Component({
  selector: 'app-site-form',
  imports: [
    SaveFailureComponent,
    ReactiveFormsModule,
    MatFormFieldModule,
    MatInputModule,
    DeviceFormFrameComponent,
    DeviceFormActionsComponent,
  ],
  template: `
    <app-device-form-frame [state]="page" noun="site">
      <form class="card section" [formGroup]="form" (ngSubmit)="save()" novalidate>
        <app-save-failure [failure]="page.failure()" />
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
        <fieldset class="hours" formGroupName="operatingHours">
          <legend>Opening hours (site-local, HH:MM; leave a day empty when closed)</legend>
          @for (weekday of weekdays; track weekday.day) {
            <div class="hours-row" [formGroupName]="weekday.day">
              <span class="day">{{ weekday.label }}</span>
              <mat-form-field subscriptSizing="dynamic">
                <mat-label>Opens</mat-label>
                <input
                  matInput
                  formControlName="open"
                  placeholder="08:00"
                  [attr.data-testid]="'hours-' + weekday.day + '-open'"
                />
                <mat-error>{{ hoursMessage(weekday.day, 'open') }}</mat-error>
              </mat-form-field>
              <mat-form-field subscriptSizing="dynamic">
                <mat-label>Closes</mat-label>
                <input
                  matInput
                  formControlName="close"
                  placeholder="18:00"
                  [attr.data-testid]="'hours-' + weekday.day + '-close'"
                />
                <mat-error>{{ hoursMessage(weekday.day, 'close') }}</mat-error>
              </mat-form-field>
            </div>
          }
        </fieldset>
        <app-device-form-actions [state]="page" />
      </form>
    </app-device-form-frame>
  `,
  styles: `
    .hours {
      border: 1px solid var(--color-border);
      border-radius: var(--radius-md);
      margin: 0 0 var(--space-4);
      padding: var(--space-3);
    }
    .hours-row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--space-2) var(--space-3);
      margin-bottom: var(--space-3);
    }
    .day {
      width: 96px;
      font-weight: 600;
    }
    .hours-row .mat-mdc-form-field {
      width: 180px;
    }
    .hours-row {
      align-items: flex-start;
    }
    .day {
      padding-top: var(--space-4);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SiteFormComponent {
  protected readonly weekdays = WEEKDAYS;
  private readonly api = inject(DevicesApiService);
  protected readonly page = new DeviceForm<SiteView>('/sites');
  protected readonly form = new FormGroup({
    code: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    name: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    timezone: new FormControl(Intl.DateTimeFormat().resolvedOptions().timeZone, {
      nonNullable: true,
      validators: [Validators.required],
    }),
    address: new FormControl('', { nonNullable: true }),
    operatingHours: new FormGroup(
      Object.fromEntries(
        WEEKDAYS.map(({ day }) => [
          day,
          new FormGroup({
            open: new FormControl('', { nonNullable: true }),
            close: new FormControl('', { nonNullable: true }),
          }),
        ]),
      ) as Record<Weekday, FormGroup<{ open: FormControl<string>; close: FormControl<string> }>>,
    ),
  });

  constructor() {
    this.page.edit(
      (id) => this.api.getSite(id),
      (site) =>
        this.form.patchValue({
          ...site,
          address: site.address ?? '',
          operatingHours: hoursFieldsOf(site.operatingHours),
        }),
    );
  }

  protected message(field: 'code' | 'name' | 'timezone' | 'address'): string {
    return controlMessage(this.form.controls[field]);
  }

  protected hoursMessage(day: Weekday, time: 'open' | 'close'): string {
    return controlMessage(this.form.controls.operatingHours.controls[day].controls[time]);
  }

  protected save(): void {
    this.page.save(this.form, (id) => {
      const value = this.form.getRawValue();
      const input: SiteInput = {
        ...value,
        address: value.address.trim() || null,
        operatingHours: operatingHoursFrom(value.operatingHours),
      };
      return id ? this.api.updateSite(id, input) : this.api.createSite(input);
    });
  }
}
