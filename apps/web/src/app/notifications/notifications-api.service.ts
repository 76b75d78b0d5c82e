import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { NotificationView, Page, UnreadCountView } from '@gridwatch/contracts';
import { Observable } from 'rxjs';
import { apiUrl } from '../shared/api-url';

/** The signed-in user's in-app notifications (their own only). */
@Injectable({ providedIn: 'root' })
export class NotificationsApiService {
  private readonly http = inject(HttpClient);

  list(limit: number): Observable<Page<NotificationView>> {
    return this.http.get<Page<NotificationView>>(apiUrl('notifications'), { params: { limit } });
  }

  unreadCount(): Observable<UnreadCountView> {
    return this.http.get<UnreadCountView>(apiUrl('notifications/unread-count'));
  }

  markRead(id: string): Observable<unknown> {
    return this.http.post(apiUrl(`notifications/${id}/read`), {});
  }

  markAllRead(): Observable<unknown> {
    return this.http.post(apiUrl('notifications/read-all'), {});
  }
}
