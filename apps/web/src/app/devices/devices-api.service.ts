import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { GatewayView, MeterStatus, MeterView, Page, SiteView } from '@gridwatch/contracts';
import { Observable } from 'rxjs';
import { apiUrl } from '../shared/api-url';

/** Sites, gateways and meters of the caller's organization. */
@Injectable({ providedIn: 'root' })
export class DevicesApiService {
  private readonly http = inject(HttpClient);

  listSites(): Observable<Page<SiteView>> {
    return this.http.get<Page<SiteView>>(apiUrl('sites'));
  }

  listGateways(): Observable<Page<GatewayView>> {
    return this.http.get<Page<GatewayView>>(apiUrl('gateways'));
  }

  listMeters(): Observable<Page<MeterView>> {
    return this.http.get<Page<MeterView>>(apiUrl('meters'));
  }

  /** Moves a meter through its status machine; an illegal move answers 409. */
  changeMeterStatus(id: string, status: MeterStatus, reason?: string): Observable<MeterView> {
    const body = reason ? { status, reason } : { status };
    return this.http.post<MeterView>(apiUrl(`meters/${encodeURIComponent(id)}/status`), body);
  }
}
