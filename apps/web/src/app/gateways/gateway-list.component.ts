import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSortModule } from '@angular/material/sort';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { GATEWAY_PROTOCOLS, GATEWAY_STATUSES, Scope, type GatewayView } from '@gridwatch/contracts';
import { DevicesApiService } from '../devices/devices-api.service';
import { IfScopeDirective } from '../shared/if-scope.directive';
import { relativeTime } from '../shared/labels';
import { ListStateComponent } from '../shared/list-state.component';
import { ListPaginatorComponent } from '../shared/list-paginator.component';
import { ServerList } from '../shared/server-list';
import { DeviceStatusComponent } from '../shared/device-status.component';

/** Every gateway: search by name or serial, filter by status and protocol, sort, page. */
@Component({
  selector: 'app-gateway-list',
  imports: [
    RouterLink,
    ReactiveFormsModule,
    MatTableModule,
    MatSortModule,
    ListPaginatorComponent,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    IfScopeDirective,
    ListStateComponent,
    DeviceStatusComponent,
  ],
  template: `
    <div class="page-header">
      <div>
        <h1>Gateways</h1>
        <p class="page-subtitle">Routers and collectors that bring readings in.</p>
      </div>
      <a
        *appIfScope="Scope.DevicesWrite"
        routerLink="new"
        class="btn btn-primary"
        data-testid="add-gateway"
        >Add gateway</a
      >
    </div>
    <div class="filters">
      <mat-form-field>
        <mat-label>Search name or serial</mat-label>
        <input matInput type="search" [formControl]="search" data-testid="filter-q" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>Status</mat-label>
        <mat-select (selectionChange)="list.setFilter('status', $event.value)">
          <mat-option [value]="undefined">Any</mat-option>
          @for (status of statuses; track status) {
            <mat-option [value]="status">{{ status }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>Protocol</mat-label>
        <mat-select (selectionChange)="list.setFilter('protocol', $event.value)">
          <mat-option [value]="undefined">Any</mat-option>
          @for (protocol of protocols; track protocol) {
            <mat-option [value]="protocol">{{ protocol }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
    </div>
    <app-list-state [listing]="list.listing()" noun="gateways">
      <div class="table-wrap card">
        <table
          mat-table
          [dataSource]="list.items()"
          matSort
          [matSortActive]="list.query().sort"
          [matSortDirection]="list.query().order"
          (matSortChange)="list.sorted($event)"
        >
          <ng-container matColumnDef="name">
            <th mat-header-cell *matHeaderCellDef mat-sort-header>Name</th>
            <td mat-cell *matCellDef="let gateway">
              <a [routerLink]="[gateway.id]">{{ gateway.name }}</a>
              <app-device-status class="inline-status" [status]="gateway.status" />
            </td>
          </ng-container>
          <ng-container matColumnDef="serialNumber">
            <th mat-header-cell *matHeaderCellDef mat-sort-header>Serial</th>
            <td mat-cell *matCellDef="let gateway" class="mono">{{ gateway.serialNumber }}</td>
          </ng-container>
          <ng-container matColumnDef="protocol">
            <th mat-header-cell *matHeaderCellDef>Protocol</th>
            <td mat-cell *matCellDef="let gateway">{{ gateway.protocol }}</td>
          </ng-container>
          <ng-container matColumnDef="lastSeenAt">
            <th mat-header-cell *matHeaderCellDef mat-sort-header>Last seen</th>
            <td mat-cell *matCellDef="let gateway">{{ seen(gateway) }}</td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let row; columns: columns" data-testid="gateway-row"></tr>
        </table>
        <app-list-paginator [list]="list" label="Pages of gateways" />
      </div>
    </app-list-state>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class GatewayListComponent {
  private readonly devices = inject(DevicesApiService);
  protected readonly Scope = Scope;
  protected readonly statuses = GATEWAY_STATUSES;
  protected readonly protocols = GATEWAY_PROTOCOLS;
  protected readonly columns = ['name', 'serialNumber', 'protocol', 'lastSeenAt'];
  protected readonly search = new FormControl('', { nonNullable: true });
  protected readonly list = new ServerList<GatewayView>(
    (params) => this.devices.listGateways(params),
    { filters: {}, sort: 'name', order: 'asc', pageIndex: 0, pageSize: 25 },
  );

  constructor() {
    this.list.followSearch(this.search);
  }

  protected seen(gateway: GatewayView): string {
    return relativeTime(gateway.lastSeenAt);
  }
}
