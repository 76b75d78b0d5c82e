import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { EventView, Page } from '@gridwatch/contracts';
import { Observable } from 'rxjs';
import { apiUrl } from '../shared/api-url';
import type { ListParams } from '../shared/server-list';

/** The audit trail (`settings:read`), newest first. */
@Injectable({ providedIn: 'root' })
export class EventsApiService {
  private readonly http = inject(HttpClient);

  list(params: ListParams): Observable<Page<EventView>> {
    return this.http.get<Page<EventView>>(apiUrl('events'), { params });
  }
}
