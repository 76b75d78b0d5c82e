import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { Page, TicketMessageView, TicketStatus, TicketView } from '@gridwatch/contracts';
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
}
