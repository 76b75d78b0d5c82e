import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  Page,
  TicketMessageView,
  TicketSnapshotView,
  TicketStatus,
  TicketView,
} from '@gridwatch/contracts';
import { Observable } from 'rxjs';
import { apiUrl } from '../shared/api-url';
import type { ListParams } from '../shared/server-list';

/** Support tickets (`tickets:read`; posting and status changes need `tickets:write`). */
@Injectable({ providedIn: 'root' })
export class TicketsApiService {
  private readonly http = inject(HttpClient);

  list(params: ListParams): Observable<Page<TicketView>> {
    return this.http.get<Page<TicketView>>(apiUrl('tickets'), { params });
  }

  /** Opens a ticket, about a meter when `meterId` is given. */
  create(ticket: {
    subject: string;
    description?: string;
    meterId?: string;
  }): Observable<TicketView> {
    return this.http.post<TicketView>(apiUrl('tickets'), ticket);
  }

  get(id: string): Observable<TicketView> {
    return this.http.get<TicketView>(apiUrl(`tickets/${id}`));
  }

  /** Oldest first: the conversation as it went. */
  messages(id: string): Observable<Page<TicketMessageView>> {
    return this.http.get<Page<TicketMessageView>>(apiUrl(`tickets/${id}/messages`), {
      params: { order: 'asc', limit: 100 },
    });
  }

  post(id: string, body: string): Observable<TicketMessageView> {
    return this.http.post<TicketMessageView>(apiUrl(`tickets/${id}/messages`), { body });
  }

  changeStatus(id: string, status: TicketStatus): Observable<TicketView> {
    return this.http.post<TicketView>(apiUrl(`tickets/${id}/status`), { status });
  }

  /** Assigns the ticket (null: unassigned); the assignee must be staff (400 invalid_assignee). */
  assign(id: string, assigneeId: string | null): Observable<TicketView> {
    return this.http.patch<TicketView>(apiUrl(`tickets/${id}`), { assigneeId });
  }

  /** Posts a message carrying `file` (at most 10 MiB; PNG, JPEG, GIF, WebP, PDF, text or CSV). */
  upload(id: string, file: File, body: string): Observable<TicketMessageView> {
    const form = new FormData();
    form.append('file', file, file.name);
    if (body.trim() !== '') form.append('body', body.trim());
    return this.http.post<TicketMessageView>(apiUrl(`tickets/${id}/attachments`), form);
  }

  /** An attachment's bytes, fetched with the session's token. */
  attachment(attachmentId: string): Observable<Blob> {
    return this.http.get(apiUrl(`attachments/${encodeURIComponent(attachmentId)}`), {
      responseType: 'blob',
    });
  }

  snapshots(id: string): Observable<Page<TicketSnapshotView>> {
    return this.http.get<Page<TicketSnapshotView>>(apiUrl(`tickets/${id}/snapshots`));
  }

  /** Captures the meter's state now as the ticket's next snapshot version. */
  captureSnapshot(id: string, meterId: string): Observable<TicketSnapshotView> {
    return this.http.post<TicketSnapshotView>(apiUrl(`tickets/${id}/snapshots`), { meterId });
  }
}
