import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  AlertDetailView,
  AlertPage,
  AlertRuleInput,
  AlertRulesDocument,
  AlertRuleView,
  AlertView,
  BulkAcknowledgeResult,
  CreatedAlertRule,
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

/** The alert rules API (`alerts:read`; changes need `alerts:write`). */
@Injectable({ providedIn: 'root' })
export class AlertRulesApiService {
  private readonly http = inject(HttpClient);

  list(): Observable<AlertRuleView[]> {
    return this.http.get<AlertRuleView[]>(apiUrl('alert-rules'));
  }

  get(id: string): Observable<AlertRuleView> {
    return this.http.get<AlertRuleView>(apiUrl(`alert-rules/${encodeURIComponent(id)}`));
  }

  create(rule: AlertRuleInput): Observable<CreatedAlertRule> {
    return this.http.post<CreatedAlertRule>(apiUrl('alert-rules'), rule);
  }

  update(id: string, rule: Partial<AlertRuleInput>): Observable<CreatedAlertRule> {
    return this.http.patch<CreatedAlertRule>(apiUrl(`alert-rules/${encodeURIComponent(id)}`), rule);
  }

  remove(id: string): Observable<void> {
    return this.http.delete<void>(apiUrl(`alert-rules/${encodeURIComponent(id)}`));
  }

  /** Every rule as a document that `import` takes back (webhook secrets left out). */
  export(): Observable<AlertRulesDocument> {
    return this.http.get<AlertRulesDocument>(apiUrl('alert-rules/export'));
  }

  /** Creates every rule of the document or none; `siteId` retargets site-scoped rules. */
  import(document: unknown, siteId?: string): Observable<CreatedAlertRule[]> {
    const body = typeof document === 'object' && document !== null ? document : {};
    return this.http.post<CreatedAlertRule[]>(apiUrl('alert-rules/import'), {
      ...body,
      ...(siteId ? { siteId } : {}),
    });
  }
}

/** An empty note is no note (the API keeps null). */
function noteBody(note: string): { note?: string } {
  const trimmed = note.trim();
  return trimmed === '' ? {} : { note: trimmed };
}
