import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl } from '@angular/forms';
import { MatSortModule } from '@angular/material/sort';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { type SiteView } from '@gridwatch/contracts';
import { DevicesApiService } from '../devices/devices-api.service';
import { DeviceListHeaderComponent } from '../shared/device-list-header.component';
import { ListStateComponent } from '../shared/list-state.component';
import { ListPaginatorComponent } from '../shared/list-paginator.component';
import { byName, ServerList } from '../shared/server-list';

/** Every site of the organization: search by name or code, sort, page. */
@Component({
  selector: 'app-site-list',
  imports: [
    RouterLink,
    MatTableModule,
    MatSortModule,
    ListPaginatorComponent,
    DeviceListHeaderComponent,
    ListStateComponent,
  ],
  template: `
    <app-device-list-header
      title="Sites"
      subtitle="Where your meters are installed."
      addLabel="Add site"
      addTestId="add-site"
      searchLabel="Search name or code"
      [search]="search"
    />
    <app-list-state [listing]="list.listing()" noun="sites">
      <div class="table-wrap card">
        <table
          mat-table
          [dataSource]="items()"
          matSort
          [matSortActive]="list.query().sort"
          [matSortDirection]="list.query().order"
          (matSortChange)="list.sorted($event)"
          data-testid="sites-table"
        >
          <ng-container matColumnDef="name">
            <th mat-header-cell *matHeaderCellDef mat-sort-header>Name</th>
            <td mat-cell *matCellDef="let site">
              <a [routerLink]="[site.id]">{{ site.name }}</a>
            </td>
          </ng-container>
          <ng-container matColumnDef="code">
            <th mat-header-cell *matHeaderCellDef mat-sort-header>Code</th>
            <td mat-cell *matCellDef="let site" class="mono">{{ site.code }}</td>
          </ng-container>
          <ng-container matColumnDef="timezone">
            <th mat-header-cell *matHeaderCellDef>Time zone</th>
            <td mat-cell *matCellDef="let site">{{ site.timezone }}</td>
          </ng-container>
          <ng-container matColumnDef="address">
            <th mat-header-cell *matHeaderCellDef>Address</th>
            <td mat-cell *matCellDef="let site">{{ site.address ?? '—' }}</td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let row; columns: columns" data-testid="site-row"></tr>
        </table>
        <app-list-paginator [list]="list" label="Pages of sites" />
      </div>
    </app-list-state>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SiteListComponent {
  private readonly devices = inject(DevicesApiService);
  protected readonly columns = ['name', 'code', 'timezone', 'address'];
  protected readonly search = new FormControl('', { nonNullable: true });
  protected readonly list = new ServerList<SiteView>(
    (params) => this.devices.listSites(params),
    byName(),
  );
  protected readonly items = this.list.items;
  protected readonly total = this.list.total;

  constructor() {
    this.list.followSearch(this.search);
  }
}
