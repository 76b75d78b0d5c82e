import { DestroyRef, inject, Injectable, signal } from '@angular/core';
import { RealtimeEvent, type NotificationView } from '@gridwatch/contracts';
import { AuthService } from '../auth/auth.service';
import { RealtimeSession } from '../realtime/realtime-session.service';
import { apiErrorMessage } from '../shared/api-error';
import { NotificationsApiService } from './notifications-api.service';

/** How many notifications the bell's menu lists. */
export const RECENT_NOTIFICATIONS = 10;

/**
 * The bell's state: the unread count and the latest notifications. Loaded by `start()`, again on
 * every fallback poll tick, and kept current by the user's `notification.created` events.
 */
@Injectable({ providedIn: 'root' })
export class NotificationCenter {
  private readonly api = inject(NotificationsApiService);
  private readonly auth = inject(AuthService);
  private readonly realtime = inject(RealtimeSession);
  private readonly destroyRef = inject(DestroyRef);
  private started = false;

  readonly unread = signal(0);
  readonly recent = signal<NotificationView[]>([]);
  /** Why the last load or action failed; null when it did not. */
  readonly error = signal<string | null>(null);

  start(): void {
    if (this.started) return;
    this.started = true;
    const subscriptions = [
      this.realtime.poll$.subscribe(() => this.refresh()),
      // Sent to the user's own room only; the check keeps another user's out all the same.
      this.realtime.events(RealtimeEvent.NotificationCreated).subscribe((event) => {
        if (event.userId === this.auth.user()?.id) this.received(event.notification);
      }),
    ];
    this.destroyRef.onDestroy(() => subscriptions.forEach((s) => s.unsubscribe()));
    this.refresh();
  }

  refresh(): void {
    this.error.set(null);
    this.api.unreadCount().subscribe({
      next: (count) => this.unread.set(count.unread),
      error: (error: unknown) => this.error.set(apiErrorMessage(error)),
    });
    this.api.list(RECENT_NOTIFICATIONS).subscribe({
      next: (page) => this.recent.set(page.items),
      error: (error: unknown) => this.error.set(apiErrorMessage(error)),
    });
  }

  markRead(notification: NotificationView): void {
    if (notification.read) return;
    this.api.markRead(notification.id).subscribe({
      next: () => {
        this.recent.update((list) =>
          list.map((item) => (item.id === notification.id ? { ...item, read: true } : item)),
        );
        this.unread.update((count) => Math.max(0, count - 1));
      },
      error: (error: unknown) => this.error.set(apiErrorMessage(error)),
    });
  }

  markAllRead(): void {
    this.api.markAllRead().subscribe({
      next: () => {
        this.recent.update((list) => list.map((item) => ({ ...item, read: true })));
        this.unread.set(0);
      },
      error: (error: unknown) => this.error.set(apiErrorMessage(error)),
    });
  }

  private received(notification: NotificationView): void {
    if (this.recent().some((item) => item.id === notification.id)) return;
    this.recent.update((list) => [notification, ...list].slice(0, RECENT_NOTIFICATIONS));
    if (!notification.read) this.unread.update((count) => count + 1);
  }
}
