import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  AlertDetailView,
  AlertPage,
  AlertView,
  BulkAcknowledgeResult,
} from '@gridwatch/contracts';
import { Observable } from 'rxjs';
import { apiUrl } from '../shared/api-url';
import type { ListParams } from '../shared/server-list';

/** The alerts API (`alerts:read`; actions need `alerts:write`). */
@Injectable({ providedIn: 'root' })
export class AlertsApiService {
  private readonly http = inject(HttpClient);

  /** Newest first; the API pages by cursor and takes no sort (it is left out here). */
  list(params: ListParams): Observable<AlertPage> {
    const rest = { ...params };
    delete rest['sort'];
    delete rest['order'];
    return this.http.get<AlertPage>(apiUrl('alerts'), { params: rest });
  }

  get(id: string): Observable<AlertDetailView> {
    return this.http.get<AlertDetailView>(apiUrl(`alerts/${id}`));
  }

  acknowledge(id: string, note: string): Observable<AlertView> {
    return this.http.post<AlertView>(apiUrl(`alerts/${id}/acknowledge`), noteBody(note));
  }

  resolve(id: string, note: string): Observable<AlertView> {
    return this.http.post<AlertView>(apiUrl(`alerts/${id}/resolve`), noteBody(note));
  }

  acknowledgeMany(ids: string[], note: string): Observable<BulkAcknowledgeResult> {
    return this.http.post<BulkAcknowledgeResult>(apiUrl('alerts/acknowledge'), {
      ids,
      ...noteBody(note),
    });
  }
}

/** An empty note is no note (the API keeps null). */
function noteBody(note: string): { note?: string } {
  const trimmed = note.trim();
  return trimmed === '' ? {} : { note: trimmed };
}
