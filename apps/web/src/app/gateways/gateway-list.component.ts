import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { MatSortModule } from '@angular/material/sort';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { GATEWAY_PROTOCOLS, GATEWAY_STATUSES, type GatewayView } from '@gridwatch/contracts';
import { DevicesApiService } from '../devices/devices-api.service';
import { DeviceListHeaderComponent } from '../shared/device-list-header.component';
import { relativeTime } from '../shared/labels';
import { ListStateComponent } from '../shared/list-state.component';
import { ListPaginatorComponent } from '../shared/list-paginator.component';
import { byName, ServerList } from '../shared/server-list';
import { DeviceStatusComponent } from '../shared/device-status.component';

/** Every gateway: search by name or serial, filter by status and protocol, sort, page. */
@Component({
  selector: 'app-gateway-list',
  imports: [
    RouterLink,
    MatTableModule,
    MatSortModule,
    ListPaginatorComponent,
    MatFormFieldModule,
    MatSelectModule,
    DeviceListHeaderComponent,
    ListStateComponent,
    DeviceStatusComponent,
  ],
  template: `
    <app-device-list-header
      title="Gateways"
      subtitle="Routers and collectors that bring readings in."
      addLabel="Add gateway"
      addTestId="add-gateway"
      searchLabel="Search name or serial"
      [search]="search"
    >
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
    </app-device-list-header>
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
  protected readonly statuses = GATEWAY_STATUSES;
  protected readonly protocols = GATEWAY_PROTOCOLS;
  protected readonly columns = ['name', 'serialNumber', 'protocol', 'lastSeenAt'];
  protected readonly search = new FormControl('', { nonNullable: true });
  protected readonly list = new ServerList<GatewayView>(
    (params) => this.devices.listGateways(params),
    byName(),
  );

  constructor() {
    this.list.followSearch(this.search);
  }

  protected seen(gateway: GatewayView): string {
    return relativeTime(gateway.lastSeenAt);
  }
}
