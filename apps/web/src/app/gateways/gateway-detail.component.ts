import { JsonPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Scope } from '@gridwatch/contracts';
import { CredentialPanelComponent } from '../devices/credential-panel.component';
import { DevicesApiService } from '../devices/devices-api.service';
import { loadFromRoute } from '../shared/detail-load';
import { DeviceStatusComponent } from '../shared/device-status.component';
import { IfScopeDirective } from '../shared/if-scope.directive';
import { relativeTime } from '../shared/labels';

/** One gateway: its details, connection report and credential. */
@Component({
  selector: 'app-gateway-detail',
  imports: [
    RouterLink,
    IfScopeDirective,
    DeviceStatusComponent,
    CredentialPanelComponent,
    JsonPipe,
  ],
  template: `
    @switch (gateway().state) {
      @case ('loading') {
        <p role="status">Loading the gateway…</p>
      }
      @case ('failed') {
        <div class="alert alert-error" role="alert" data-testid="detail-error">{{ failure() }}</div>
      }
    }
    @if (value(); as gateway) {
      <div class="page-header">
        <div>
          <h1 data-testid="gateway-name">{{ gateway.name }}</h1>
          <p class="page-subtitle mono">{{ gateway.serialNumber }}</p>
        </div>
        <div class="page-actions">
          <app-device-status [status]="gateway.status" />
          <a *appIfScope="Scope.DevicesWrite" routerLink="edit" class="btn btn-secondary">Edit</a>
        </div>
      </div>
      <section class="card section">
        <dl class="details-grid">
          <div>
            <dt>Protocol</dt>
            <dd>{{ gateway.protocol }}</dd>
          </div>
          <div>
            <dt>Site</dt>
            <dd><a [routerLink]="['/sites', gateway.siteId]">Open the site</a></dd>
          </div>
          <div>
            <dt>Last seen</dt>
            <dd>{{ seen() }}</dd>
          </div>
          <div>
            <dt>Missed pings</dt>
            <dd>{{ gateway.missedPings }}</dd>
          </div>
          <div>
            <dt>Poll interval</dt>
            <dd>{{ gateway.pollIntervalSeconds }} s</dd>
          </div>
          @if (gateway.host) {
            <div>
              <dt>Host</dt>
              <dd class="mono">{{ gateway.host }}:{{ gateway.port }}</dd>
            </div>
          }
        </dl>
        <p>
          <a [routerLink]="['/meters']" [queryParams]="{ gatewayId: gateway.id }">Its meters</a>
        </p>
      </section>
      <section class="card section" aria-labelledby="connection-title">
        <h2 id="connection-title">Connection report</h2>
        <pre class="mono">{{ gateway.connection | json }}</pre>
      </section>
      <app-credential-panel
        *appIfScope="Scope.DevicesWrite"
        owner="gateways"
        [ownerId]="gateway.id"
      />
    }
  `,
  styles: `
    pre {
      white-space: pre-wrap;
      margin: 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class GatewayDetailComponent {
  private readonly api = inject(DevicesApiService);
  protected readonly Scope = Scope;
  protected readonly gateway = loadFromRoute((id) => this.api.getGateway(id));
  protected readonly value = computed(() => {
    const gateway = this.gateway();
    return gateway.state === 'ready' ? gateway.value : null;
  });
  protected readonly failure = computed(() => {
    const gateway = this.gateway();
    return gateway.state === 'failed' ? gateway.message : '';
  });
  protected readonly seen = computed(() => relativeTime(this.value()?.lastSeenAt ?? null));
}
