import { inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import type { MeterView, SiteView } from '@gridwatch/contracts';
import { catchError, forkJoin, map, of } from 'rxjs';
import { DevicesApiService } from '../devices/devices-api.service';

/** The organization's sites and meters (first 200 of each), for the rule pages' names and pickers. */
export function ruleTargets() {
  const devices = inject(DevicesApiService);
  return toSignal(
    forkJoin({
      sites: devices.listSites({ limit: 200 }).pipe(map((page) => page.items)),
      meters: devices.listMeters({ limit: 200 }).pipe(map((page) => page.items)),
    }).pipe(catchError(() => of({ sites: [] as SiteView[], meters: [] as MeterView[] }))),
    { initialValue: { sites: [] as SiteView[], meters: [] as MeterView[] } },
  );
}
