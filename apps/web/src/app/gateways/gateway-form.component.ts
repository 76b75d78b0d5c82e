import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import {
  GATEWAY_PROTOCOLS,
  GatewayProtocol,
  type GatewayView,
  type SiteView,
} from '@gridwatch/contracts';
import { Observable } from 'rxjs';
import { DevicesApiService, type GatewayInput } from '../devices/devices-api.service';
import { apiErrorMessage } from '../shared/api-error';
import { applyApiErrors, controlMessage, type SaveFailure } from '../shared/form-errors';
import { SaveFailureComponent } from '../shared/save-failure.component';

/** Create or edit a gateway; the API's validation messages appear per field. */
@Component({
  selector: 'app-gateway-form',
  imports: [
    SaveFailureComponent,
    ReactiveFormsModule,
    RouterLink,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
  ],
  template: `
    <div class="page-header">
      <h1>{{ id ? 'Edit gateway' : 'New gateway' }}</h1>
    </div>
    @if (loadError(); as message) {
      <div class="alert alert-error" role="alert">{{ message }}</div>
    }
    <form class="card section" [formGroup]="form" (ngSubmit)="save()" novalidate>
      <app-save-failure [failure]="failure()" />
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
      <div class="page-actions">
        <button type="submit" class="btn btn-primary" [disabled]="saving()">Save</button>
        <a [routerLink]="id ? ['/gateways', id] : ['/gateways']" class="btn btn-secondary"
          >Cancel</a
        >
      </div>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class GatewayFormComponent {
  private readonly api = inject(DevicesApiService);
  private readonly router = inject(Router);
  protected readonly id = inject(ActivatedRoute).snapshot.paramMap.get('id');
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
  protected readonly saving = signal(false);
  protected readonly failure = signal<SaveFailure | null>(null);
  protected readonly loadError = signal<string | null>(null);

  constructor() {
    this.api
      .listSites({ limit: 200 })
      .pipe(takeUntilDestroyed())
      .subscribe({
        next: (page) => this.sites.set(page.items),
        error: (error: unknown) => this.loadError.set(apiErrorMessage(error)),
      });
    if (this.id) {
      this.api
        .getGateway(this.id)
        .pipe(takeUntilDestroyed())
        .subscribe({
          next: (gateway) => this.form.patchValue({ ...gateway, host: gateway.host ?? '' }),
          error: (error: unknown) => this.loadError.set(apiErrorMessage(error)),
        });
    }
  }

  protected message(field: keyof typeof this.form.controls): string {
    return controlMessage(this.form.controls[field]);
  }

  protected save(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const value = this.form.getRawValue();
    const modbus = value.protocol === GatewayProtocol.ModbusTcp;
    const input: GatewayInput = {
      ...value,
      host: modbus ? value.host.trim() || null : null,
      port: modbus ? value.port : null,
    };
    const request: Observable<GatewayView> = this.id
      ? this.api.updateGateway(this.id, input)
      : this.api.createGateway(input);
    this.saving.set(true);
    this.failure.set(null);
    request.subscribe({
      next: (gateway) => void this.router.navigate(['/gateways', gateway.id]),
      error: (error: unknown) => {
        this.saving.set(false);
        this.failure.set(applyApiErrors(this.form, error));
      },
    });
  }
}
