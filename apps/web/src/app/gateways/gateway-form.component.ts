import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import {
  GATEWAY_PROTOCOLS,
  GatewayProtocol,
  type GatewayView,
  type SiteView,
} from '@gridwatch/contracts';
import { DevicesApiService, type GatewayInput } from '../devices/devices-api.service';
import { DeviceForm } from '../shared/device-form';
import {
  DeviceFormActionsComponent,
  DeviceFormFrameComponent,
} from '../shared/device-form-frame.component';
import { controlMessage } from '../shared/form-errors';
import { SaveFailureComponent } from '../shared/save-failure.component';

/** Create or edit a gateway; the API's validation messages appear per field. */
@Component({
  selector: 'app-gateway-form',
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
    <app-device-form-frame [state]="page" noun="gateway">
      <form class="card section" [formGroup]="form" (ngSubmit)="save()" novalidate>
        <app-save-failure [failure]="page.failure()" />
        <div class="form-grid">
          <mat-form-field>
            <mat-label>Serial number</mat-label>
            <input matInput formControlName="serialNumber" required />
            <mat-error>{{ message('serialNumber') }}</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Name</mat-label>
            <input matInput formControlName="name" required />
            <mat-error>{{ message('name') }}</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Site</mat-label>
            <mat-select formControlName="siteId" required>
              @for (site of sites(); track site.id) {
                <mat-option [value]="site.id">{{ site.name }}</mat-option>
              }
            </mat-select>
            <mat-error>{{ message('siteId') }}</mat-error>
          </mat-form-field>
          <mat-form-field>
            <mat-label>Protocol</mat-label>
            <mat-select formControlName="protocol" required>
              @for (protocol of protocols; track protocol) {
                <mat-option [value]="protocol">{{ protocol }}</mat-option>
              }
            </mat-select>
            <mat-error>{{ message('protocol') }}</mat-error>
          </mat-form-field>
          @if (form.controls.protocol.value === 'modbus_tcp') {
            <mat-form-field>
              <mat-label>Modbus host</mat-label>
              <input matInput formControlName="host" />
              <mat-error>{{ message('host') }}</mat-error>
            </mat-form-field>
            <mat-form-field>
              <mat-label>Modbus port</mat-label>
              <input matInput type="number" formControlName="port" />
              <mat-error>{{ message('port') }}</mat-error>
            </mat-form-field>
          }
          <mat-form-field>
            <mat-label>Poll / heartbeat interval (s)</mat-label>
            <input matInput type="number" formControlName="pollIntervalSeconds" />
            <mat-error>{{ message('pollIntervalSeconds') }}</mat-error>
          </mat-form-field>
        </div>
        <app-device-form-actions [state]="page" />
      </form>
    </app-device-form-frame>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class GatewayFormComponent {
  private readonly api = inject(DevicesApiService);
  protected readonly page = new DeviceForm<GatewayView>('/gateways');
  protected readonly protocols = GATEWAY_PROTOCOLS;
  protected readonly sites = signal<SiteView[]>([]);
  protected readonly form = new FormGroup({
    serialNumber: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    name: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    siteId: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    protocol: new FormControl<GatewayProtocol>(GatewayProtocol.Http, { nonNullable: true }),
    host: new FormControl('', { nonNullable: true }),
    port: new FormControl<number | null>(502),
    pollIntervalSeconds: new FormControl<number>(1800, { nonNullable: true }),
  });

  constructor() {
    this.page.load(this.api.listSites({ limit: 200 }), (page) => this.sites.set(page.items));
    this.page.edit(
      (id) => this.api.getGateway(id),
      (gateway) => this.form.patchValue({ ...gateway, host: gateway.host ?? '' }),
    );
  }

  protected message(field: keyof typeof this.form.controls): string {
    return controlMessage(this.form.controls[field]);
  }

  protected save(): void {
    this.page.save(this.form, (id) => {
      const value = this.form.getRawValue();
      const modbus = value.protocol === GatewayProtocol.ModbusTcp;
      const input: GatewayInput = {
        ...value,
        host: modbus ? value.host.trim() || null : null,
        port: modbus ? value.port : null,
      };
      return id ? this.api.updateGateway(id, input) : this.api.createGateway(input);
    });
  }
}
