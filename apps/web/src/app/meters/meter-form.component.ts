import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import {
  METER_KINDS,
  MeterKind,
  type GatewayView,
  type MeterView,
  type SiteView,
} from '@gridwatch/contracts';
import { forkJoin } from 'rxjs';
import { DevicesApiService, type MeterInput } from '../devices/devices-api.service';
import { DeviceForm } from '../shared/device-form';
import {
  DeviceFormActionsComponent,
  DeviceFormFrameComponent,
} from '../shared/device-form-frame.component';
import { controlMessage } from '../shared/form-errors';
import { SaveFailureComponent } from '../shared/save-failure.component';
import { meterKindLabel } from '../shared/labels';

/** Register a meter on a site (behind a gateway or direct), or edit one. */
@Component({
  selector: 'app-meter-form',
  imports: [
    SaveFailureComponent,
    ReactiveFormsModule,
    DeviceFormFrameComponent,
    DeviceFormActionsComponent,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
  ],
  template: `
    <app-device-form-frame [state]="page" noun="meter">
      <form class="card section" [formGroup]="form" (ngSubmit)="save()" novalidate>
        <app-save-failure [failure]="page.failure()" />
        <div class="form-grid">
          <mat-form-field>
            <mat-label>Name</mat-label>
            <input matInput formControlName="name" required data-testid="field-name" />
            <mat-error>{{ message('name') }}</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Kind</mat-label>
            <mat-select formControlName="kind" required data-testid="field-kind">
              @for (kind of kinds; track kind) {
                <mat-option [value]="kind">{{ kindLabel(kind) }}</mat-option>
              }
            </mat-select>
            <mat-error>{{ message('kind') }}</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Site</mat-label>
            <mat-select formControlName="siteId" required data-testid="field-site">
              @for (site of sites(); track site.id) {
                <mat-option [value]="site.id">{{ site.name }}</mat-option>
              }
            </mat-select>
            <mat-error>{{ message('siteId') }}</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Gateway</mat-label>
            <mat-select formControlName="gatewayId" data-testid="field-gateway">
              <mat-option [value]="null">None (a direct device)</mat-option>
              @for (gateway of siteGateways(); track gateway.id) {
                <mat-option [value]="gateway.id">{{ gateway.name }}</mat-option>
              }
            </mat-select>
            <mat-error>{{ message('gatewayId') }}</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Location</mat-label>
            <input matInput formControlName="location" />
            <mat-error>{{ message('location') }}</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Model</mat-label>
            <input matInput formControlName="model" />
            <mat-error>{{ message('model') }}</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Firmware</mat-label>
            <input matInput formControlName="firmware" />
            <mat-error>{{ message('firmware') }}</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Tags (comma-separated)</mat-label>
            <input matInput formControlName="tags" />
            <mat-error>{{ message('tags') }}</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Heartbeat interval (s)</mat-label>
            <input matInput type="number" formControlName="heartbeatIntervalSeconds" />
            <mat-error>{{ message('heartbeatIntervalSeconds') }}</mat-error>
          </mat-form-field>
        </div>
        <app-device-form-actions [state]="page" />
      </form>
    </app-device-form-frame>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MeterFormComponent {
  private readonly api = inject(DevicesApiService);
  protected readonly page = new DeviceForm<MeterView>('/meters');
  protected readonly kinds = METER_KINDS;
  protected readonly kindLabel = meterKindLabel;
  protected readonly sites = signal<SiteView[]>([]);
  private readonly gateways = signal<GatewayView[]>([]);
  protected readonly form = new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    kind: new FormControl<MeterKind>(MeterKind.Other, { nonNullable: true }),
    siteId: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    gatewayId: new FormControl<string | null>(null),
    location: new FormControl('', { nonNullable: true }),
    model: new FormControl('', { nonNullable: true }),
    firmware: new FormControl('', { nonNullable: true }),
    tags: new FormControl('', { nonNullable: true }),
    heartbeatIntervalSeconds: new FormControl<number>(1800, { nonNullable: true }),
  });
  private readonly siteId = toSignal(this.form.controls.siteId.valueChanges, {
    initialValue: '',
  });
  protected readonly siteGateways = computed(() =>
    this.gateways().filter((gateway) => gateway.siteId === this.siteId()),
  );

  constructor() {
    this.page.load(
      forkJoin([this.api.listSites({ limit: 200 }), this.api.listGateways({ limit: 200 })]),
      ([sites, gateways]) => {
        this.sites.set(sites.items);
        this.gateways.set(gateways.items);
      },
    );
    this.page.edit(
      (id) => this.api.getMeter(id),
      (meter) => this.form.patchValue(formValue(meter)),
    );
  }

  protected message(field: keyof typeof this.form.controls): string {
    return controlMessage(this.form.controls[field]);
  }

  protected save(): void {
    this.page.save(this.form, (id) => {
      const value = this.form.getRawValue();
      const input: MeterInput = {
        ...value,
        location: value.location.trim() || null,
        model: value.model.trim() || null,
        firmware: value.firmware.trim() || null,
        tags: value.tags
          .split(',')
          .map((tag) => tag.trim())
          .filter(Boolean),
      };
      return id ? this.api.updateMeter(id, input) : this.api.createMeter(input);
    });
  }
}

function formValue(meter: MeterView) {
  return {
    name: meter.name,
    kind: meter.kind,
    siteId: meter.siteId,
    gatewayId: meter.gatewayId,
    location: meter.location ?? '',
    model: meter.model ?? '',
    firmware: meter.firmware ?? '',
    tags: meter.tags.join(', '),
    heartbeatIntervalSeconds: meter.heartbeatIntervalSeconds,
  };
}
