import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { Scope, type GatewayView, type MeterView, type SiteView } from '@gridwatch/contracts';
import { catchError, combineLatest, filter, of, switchMap } from 'rxjs';
import { DevicesApiService } from '../devices/devices-api.service';
import { MeterStatusBadgeComponent } from '../devices/meter-status-badge.component';
import { loadFromRoute } from '../shared/detail-load';
import { IfScopeDirective } from '../shared/if-scope.directive';
import { listing, type Listing } from '../shared/listing';
import { ListStateComponent } from '../shared/list-state.component';
import { meterKindLabel } from '../shared/labels';
import { hoursSummary } from './operating-hours';

interface SiteDevices {
  meters: Listing<MeterView>;
  gateways: Listing<GatewayView>;
}

/** One site: its details, its gateways and its meters with their status. */
@Component({
  selector: 'app-site-detail',
  imports: [RouterLink, IfScopeDirective, ListStateComponent, MeterStatusBadgeComponent],
  template: `
    @switch (site().state) {
      @case ('loading') {
        <p role="status">Loading the site…</p>
      }
      @case ('failed') {
        <div class="alert alert-error" role="alert" data-testid="detail-error">{{ failure() }}</div>
      }
      @case ('ready') {
        @if (value(); as site) {
          <div class="page-header">
            <div>
              <h1 data-testid="site-name">{{ site.name }}</h1>
              <p class="page-subtitle mono">{{ site.code }}</p>
            </div>
            <div class="page-actions">
              <a *appIfScope="Scope.DevicesWrite" routerLink="edit" class="btn btn-secondary"
                >Edit</a
              >
            </div>
          </div>
          <section class="card section">
            <dl class="details-grid">
              <div>
                <dt>Time zone</dt>
                <dd>{{ site.timezone }}</dd>
              </div>
              <div>
                <dt>Address</dt>
                <dd>{{ site.address ?? '—' }}</dd>
              </div>
              <div>
                <dt>Opening hours</dt>
                <dd data-testid="site-hours">{{ hours(site) }}</dd>
              </div>
              <div>
                <dt>Tariff</dt>
                <dd data-testid="site-tariff">{{ tariffSummary() }}</dd>
              </div>
            </dl>
          </section>
          <section class="card section" aria-labelledby="site-gateways">
            <h2 id="site-gateways">Gateways</h2>
            <app-list-state [listing]="devices().gateways" noun="gateways">
              <ul class="plain-list">
                @for (gateway of gatewayItems(); track gateway.id) {
                  <li>
                    <a [routerLink]="['/gateways', gateway.id]">{{ gateway.name }}</a>
                    <span class="mono muted">{{ gateway.serialNumber }}</span> ·
                    {{ gateway.status }}
                  </li>
                }
              </ul>
            </app-list-state>
          </section>
          <section class="card section" aria-labelledby="site-meters">
            <h2 id="site-meters">Meters</h2>
            <app-list-state [listing]="devices().meters" noun="meters">
              <ul class="plain-list">
                @for (meter of meterItems(); track meter.id) {
                  <li>
                    <a [routerLink]="['/meters', meter.id]">{{ meter.name }}</a>
                    <span class="muted">{{ kind(meter) }}</span>
                    <app-meter-status-badge [status]="meter.status" />
                  </li>
                }
              </ul>
            </app-list-state>
          </section>
        }
      }
    }
  `,
  styles: `
    .plain-list {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .plain-list li {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--space-2);
      padding: var(--space-2) 0;
      border-bottom: 1px solid var(--color-border);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SiteDetailComponent {
  private readonly api = inject(DevicesApiService);
  protected readonly Scope = Scope;
  protected readonly site = loadFromRoute((id) => this.api.getSite(id));
  protected readonly value = computed(() => {
    const site = this.site();
    return site.state === 'ready' ? site.value : null;
  });
  protected readonly failure = computed(() => {
    const site = this.site();
    return site.state === 'failed' ? site.message : '';
  });
  protected readonly devices = toSignal(
    toObservable(this.value).pipe(
      filter((site): site is SiteView => site !== null),
      switchMap((site) =>
        listingsOf(
          listing(this.api.listMeters({ siteId: site.id, limit: 200 })),
          listing(this.api.listGateways({ siteId: site.id, limit: 200 })),
        ),
      ),
    ),
    {
      initialValue: { meters: { state: 'loading' }, gateways: { state: 'loading' } } as SiteDevices,
    },
  );
  /** From the site's tariff document: undefined while loading, a message when unreadable. */
  protected readonly tariff = toSignal(
    toObservable(this.value).pipe(
      filter((site): site is SiteView => site !== null),
      switchMap((site) =>
        this.api.getSiteTariff(site.id).pipe(catchError(() => of('unavailable' as const))),
      ),
    ),
  );
  protected readonly tariffSummary = computed(() => {
    const tariff = this.tariff();
    if (tariff === undefined) return 'Loading…';
    if (tariff === 'unavailable') return 'Not available';
    if (tariff === null) return 'None';
    return `${tariff.type === 'flat' ? 'Flat' : 'Time of use'} (${tariff.currency})`;
  });
  protected readonly meterItems = computed(() => itemsOf(this.devices().meters));
  protected readonly gatewayItems = computed(() => itemsOf(this.devices().gateways));

  protected hours(site: SiteView): string {
    return hoursSummary(site.operatingHours);
  }

  protected kind(meter: MeterView): string {
    return meterKindLabel(meter.kind);
  }
}

function itemsOf<T>(listing: Listing<T>): T[] {
  return listing.state === 'ready' ? listing.items : [];
}

function listingsOf(
  meters: ReturnType<typeof listing<MeterView>>,
  gateways: ReturnType<typeof listing<GatewayView>>,
) {
  return combineLatest({ meters, gateways });
}
