import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { MatSortModule } from '@angular/material/sort';
import { MatTableModule } from '@angular/material/table';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { METER_KINDS, METER_STATUSES, type MeterView, type SiteView } from '@gridwatch/contracts';
import { listing, type Listing } from '../shared/listing';
import { DevicesApiService } from '../devices/devices-api.service';
import { MeterStatusBadgeComponent } from '../devices/meter-status-badge.component';
import { DeviceListHeaderComponent } from '../shared/device-list-header.component';
import { meterKindLabel, meterStatusLabel, relativeTime } from '../shared/labels';
import { ListStateComponent } from '../shared/list-state.component';
import { ListPaginatorComponent } from '../shared/list-paginator.component';
import { byName, ServerList } from '../shared/server-list';

/** Every meter: search, filter by status, kind and site, sort, page; status next to the name. */
@Component({
  selector: 'app-meter-list',
  imports: [
    RouterLink,
    MatTableModule,
    MatSortModule,
    ListPaginatorComponent,
    MatFormFieldModule,
    MatSelectModule,
    DeviceListHeaderComponent,
    ListStateComponent,
    MeterStatusBadgeComponent,
  ],
  template: `
    <app-device-list-header
      title="Meters"
      subtitle="Every meter of your sites, with its status."
      addLabel="Add meter"
      addTestId="add-meter"
      searchLabel="Search name, location, model"
      [search]="search"
    >
      <mat-form-field>
        <mat-label>Status</mat-label>
        <mat-select
          (selectionChange)="list.setFilter('status', $event.value)"
          data-testid="filter-status"
        >
          <mat-option [value]="undefined">Any</mat-option>
          @for (status of statuses; track status) {
            <mat-option [value]="status">{{ statusLabel(status) }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>Kind</mat-label>
        <mat-select (selectionChange)="list.setFilter('kind', $event.value)">
          <mat-option [value]="undefined">Any</mat-option>
          @for (kind of kinds; track kind) {
            <mat-option [value]="kind">{{ kindLabel(kind) }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>Site</mat-label>
        <mat-select (selectionChange)="list.setFilter('siteId', $event.value)">
          <mat-option [value]="undefined">Any</mat-option>
          @for (site of sites(); track site.id) {
            <mat-option [value]="site.id">{{ site.name }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
    </app-device-list-header>
    @if (list.query().filters['gatewayId']) {
      <p class="muted" data-testid="gateway-filter">
        Only the meters behind one gateway.
        <button
          type="button"
          class="btn btn-secondary btn-small"
          (click)="list.setFilter('gatewayId', undefined)"
        >
          Show all meters
        </button>
      </p>
    }
    @if (siteListing(); as sites) {
      @if (sites.state === 'failed') {
        <div class="alert alert-error" role="alert">
          The sites could not be loaded: {{ sites.message }}
        </div>
      }
    }
    <app-list-state [listing]="list.listing()" noun="meters">
      <div class="table-wrap card">
        <table
          mat-table
          [dataSource]="list.items()"
          matSort
          [matSortActive]="list.query().sort"
          [matSortDirection]="list.query().order"
          (matSortChange)="list.sorted($event)"
          data-testid="meters-list"
        >
          <ng-container matColumnDef="name">
            <th mat-header-cell *matHeaderCellDef mat-sort-header>Name and status</th>
            <td mat-cell *matCellDef="let meter">
              <span class="name-cell">
                <a [routerLink]="[meter.id]" data-testid="meter-link">{{ meter.name }}</a>
                <app-meter-status-badge [status]="meter.status" />
              </span>
            </td>
          </ng-container>
          <ng-container matColumnDef="kind">
            <th mat-header-cell *matHeaderCellDef mat-sort-header>Kind</th>
            <td mat-cell *matCellDef="let meter">{{ kindLabel(meter.kind) }}</td>
          </ng-container>
          <ng-container matColumnDef="site">
            <th mat-header-cell *matHeaderCellDef>Site</th>
            <td mat-cell *matCellDef="let meter">{{ siteName(meter) }}</td>
          </ng-container>
          <ng-container matColumnDef="lastSeenAt">
            <th mat-header-cell *matHeaderCellDef mat-sort-header>Last seen</th>
            <td mat-cell *matCellDef="let meter">{{ seen(meter) }}</td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let row; columns: columns" data-testid="meter-list-row"></tr>
        </table>
        <app-list-paginator [list]="list" label="Pages of meters" />
      </div>
    </app-list-state>
  `,
  styles: `
    .name-cell {
      display: inline-flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 8px;
      max-width: 200px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MeterListComponent {
  private readonly devices = inject(DevicesApiService);
  protected readonly statuses = METER_STATUSES;
  protected readonly kinds = METER_KINDS;
  protected readonly columns = ['name', 'kind', 'site', 'lastSeenAt'];
  protected readonly search = new FormControl('', { nonNullable: true });
  protected readonly list = new ServerList<MeterView>(
    (params) => this.devices.listMeters(params),
    byName({
      gatewayId: inject(ActivatedRoute).snapshot.queryParamMap.get('gatewayId') ?? undefined,
    }),
  );
  /** The sites for the filter and the Site column; a failure is said, not shown as no sites. */
  protected readonly siteListing = toSignal(listing(this.devices.listSites({ limit: 200 })), {
    initialValue: { state: 'loading' } as Listing<SiteView>,
  });
  protected readonly sites = computed(() => {
    const sites = this.siteListing();
    return sites.state === 'ready' ? sites.items : [];
  });
  private readonly siteNames = computed(
    () => new Map(this.sites().map((site) => [site.id, site.name])),
  );

  constructor() {
    this.list.followSearch(this.search);
  }

  protected kindLabel = meterKindLabel;
  protected statusLabel = meterStatusLabel;

  protected siteName(meter: MeterView): string {
    return this.siteNames().get(meter.siteId) ?? '—';
  }

  protected seen(meter: MeterView): string {
    return relativeTime(meter.lastSeenAt);
  }
}
