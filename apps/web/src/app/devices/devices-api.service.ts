import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  CredentialView,
  GatewayProtocol,
  GatewayView,
  IssuedCredential,
  MeterKind,
  MeterStatus,
  MeterView,
  OperatingHours,
  Page,
  SiteTariffView,
  SiteView,
} from '@gridwatch/contracts';
import { catchError, Observable, of, throwError } from 'rxjs';
import { apiUrl } from '../shared/api-url';
import type { ListParams } from '../shared/server-list';

/** The editable fields of a site, as the API's create and update bodies take them. */
export interface SiteInput {
  code: string;
  name: string;
  timezone: string;
  address?: string | null;
  operatingHours?: OperatingHours;
}

export interface GatewayInput {
  serialNumber: string;
  name: string;
  siteId: string;
  protocol: GatewayProtocol;
  host?: string | null;
  port?: number | null;
  pollIntervalSeconds?: number;
}

export interface MeterInput {
  name: string;
  siteId: string;
  gatewayId?: string | null;
  kind: MeterKind;
  model?: string | null;
  firmware?: string | null;
  location?: string | null;
  tags?: string[];
  heartbeatIntervalSeconds?: number;
}

/** Whose credential: a gateway's or a direct device's (a meter). */
export type CredentialOwner = 'gateways' | 'meters';

/** Sites, gateways and meters of the caller's organization, and their device credentials. */
@Injectable({ providedIn: 'root' })
export class DevicesApiService {
  private readonly http = inject(HttpClient);

  listSites(params: ListParams = {}): Observable<Page<SiteView>> {
    return this.http.get<Page<SiteView>>(apiUrl('sites'), { params });
  }

  getSite(id: string): Observable<SiteView> {
    return this.http.get<SiteView>(apiUrl(`sites/${encodeURIComponent(id)}`));
  }

  /** The site's tariff (`GET /sites/{id}/tariff`); null when the site has none yet. */
  getSiteTariff(id: string): Observable<SiteTariffView | null> {
    return this.http
      .get<SiteTariffView>(apiUrl(`sites/${encodeURIComponent(id)}/tariff`))
      .pipe(
        catchError((error: HttpErrorResponse) =>
          error.status === 404 ? of(null) : throwError(() => error),
        ),
      );
  }

  createSite(input: SiteInput): Observable<SiteView> {
    return this.http.post<SiteView>(apiUrl('sites'), input);
  }

  updateSite(id: string, input: Partial<SiteInput>): Observable<SiteView> {
    return this.http.patch<SiteView>(apiUrl(`sites/${encodeURIComponent(id)}`), input);
  }

  listGateways(params: ListParams = {}): Observable<Page<GatewayView>> {
    return this.http.get<Page<GatewayView>>(apiUrl('gateways'), { params });
  }

  getGateway(id: string): Observable<GatewayView> {
    return this.http.get<GatewayView>(apiUrl(`gateways/${encodeURIComponent(id)}`));
  }

  createGateway(input: GatewayInput): Observable<GatewayView> {
    return this.http.post<GatewayView>(apiUrl('gateways'), input);
  }

  updateGateway(id: string, input: Partial<GatewayInput>): Observable<GatewayView> {
    return this.http.patch<GatewayView>(apiUrl(`gateways/${encodeURIComponent(id)}`), input);
  }

  listMeters(params: ListParams = {}): Observable<Page<MeterView>> {
    return this.http.get<Page<MeterView>>(apiUrl('meters'), { params });
  }

  getMeter(id: string): Observable<MeterView> {
    return this.http.get<MeterView>(apiUrl(`meters/${encodeURIComponent(id)}`));
  }

  createMeter(input: MeterInput): Observable<MeterView> {
    return this.http.post<MeterView>(apiUrl('meters'), input);
  }

  updateMeter(id: string, input: Partial<MeterInput>): Observable<MeterView> {
    return this.http.patch<MeterView>(apiUrl(`meters/${encodeURIComponent(id)}`), input);
  }

  /** Moves a meter through its status machine; an illegal move answers 409. */
  changeMeterStatus(id: string, status: MeterStatus, reason?: string): Observable<MeterView> {
    const body = reason ? { status, reason } : { status };
    return this.http.post<MeterView>(apiUrl(`meters/${encodeURIComponent(id)}/status`), body);
  }

  /** The active credential without its secret; 404 `credential_not_found` when there is none. */
  getCredential(owner: CredentialOwner, id: string): Observable<CredentialView> {
    return this.http.get<CredentialView>(apiUrl(`${owner}/${encodeURIComponent(id)}/credentials`));
  }

  /** Issues a credential: the answer carries the secret, the only time it is shown. */
  issueCredential(owner: CredentialOwner, id: string): Observable<IssuedCredential> {
    return this.http.post<IssuedCredential>(
      apiUrl(`${owner}/${encodeURIComponent(id)}/credentials`),
      {},
    );
  }

  rotateCredential(owner: CredentialOwner, id: string): Observable<IssuedCredential> {
    return this.http.post<IssuedCredential>(
      apiUrl(`${owner}/${encodeURIComponent(id)}/credentials/rotate`),
      {},
    );
  }
}
