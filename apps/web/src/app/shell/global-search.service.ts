import { inject, Injectable } from '@angular/core';
import type { Page } from '@gridwatch/contracts';
import { catchError, forkJoin, map, Observable, of } from 'rxjs';
import { DevicesApiService } from '../devices/devices-api.service';
import { apiErrorMessage } from '../shared/api-error';

/** One hit of the global search, with the page it opens. */
export interface SearchHit {
  kind: 'site' | 'meter' | 'gateway';
  id: string;
  label: string;
  detail: string;
  link: string[];
}

/** Hits of one kind, or why that kind could not be searched. */
export interface SearchGroup {
  kind: SearchHit['kind'];
  title: string;
  hits: SearchHit[];
  error: string | null;
}

const PER_KIND = 5;

/** Sites (name, code), meters (name, location, model) and gateways (name, serial) matching a text. */
@Injectable({ providedIn: 'root' })
export class GlobalSearchService {
  private readonly devices = inject(DevicesApiService);

  search(text: string): Observable<SearchGroup[]> {
    const params = { q: text, limit: PER_KIND };
    return forkJoin([
      group('site', 'Sites', this.devices.listSites(params), (site) => ({
        kind: 'site',
        id: site.id,
        label: site.name,
        detail: site.code,
        link: ['/sites', site.id],
      })),
      group('meter', 'Meters', this.devices.listMeters(params), (meter) => ({
        kind: 'meter',
        id: meter.id,
        label: meter.name,
        detail: meter.location ?? meter.model ?? meter.kind,
        link: ['/meters', meter.id],
      })),
      group('gateway', 'Gateways', this.devices.listGateways(params), (gateway) => ({
        kind: 'gateway',
        id: gateway.id,
        label: gateway.name,
        detail: gateway.serialNumber,
        link: ['/gateways', gateway.id],
      })),
    ]);
  }
}

function group<T>(
  kind: SearchHit['kind'],
  title: string,
  source: Observable<Page<T>>,
  toHit: (item: T) => SearchHit,
): Observable<SearchGroup> {
  return source.pipe(
    map((page) => ({ kind, title, hits: page.items.map(toHit), error: null })),
    catchError((error: unknown) => of({ kind, title, hits: [], error: apiErrorMessage(error) })),
  );
}
