import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSortModule } from '@angular/material/sort';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { Scope, type SiteView } from '@gridwatch/contracts';
import { DevicesApiService } from '../devices/devices-api.service';
import { IfScopeDirective } from '../shared/if-scope.directive';
import { ListStateComponent } from '../shared/list-state.component';
import { ListPaginatorComponent } from '../shared/list-paginator.component';
import { ServerList } from '../shared/server-list';

/** Every site of the organization: search by name or code, sort, page. */
@Component({
  selector: 'app-site-list',
  imports: [
    RouterLink,
    ReactiveFormsModule,
    MatTableModule,
    MatSortModule,
    ListPaginatorComponent,
    MatFormFieldModule,
    MatInputModule,
    IfScopeDirective,
    ListStateComponent,
  ],
  template: `
    <div class="page-header">
      <div>
        <h1>Sites</h1>
        <p class="page-subtitle">Where your meters are installed.</p>
      </div>
      <a
        *appIfScope="Scope.DevicesWrite"
        routerLink="new"
        class="btn btn-primary"
        data-testid="add-site"
        >Add site</a
      >
    </div>
    <div class="filters">
      <mat-form-field>
        <mat-label>Search name or code</mat-label>
        <input matInput type="search" [formControl]="search" data-testid="filter-q" />
      </mat-form-field>
    </div>
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
  protected readonly Scope = Scope;
  protected readonly columns = ['name', 'code', 'timezone', 'address'];
  protected readonly search = new FormControl('', { nonNullable: true });
  protected readonly list = new ServerList<SiteView>((params) => this.devices.listSites(params), {
    filters: {},
    sort: 'name',
    order: 'asc',
    pageIndex: 0,
    pageSize: 25,
  });
  protected readonly items = this.list.items;
  protected readonly total = this.list.total;

  constructor() {
    this.list.followSearch(this.search);
  }
}
