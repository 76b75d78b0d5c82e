import { DestroyRef, effect, inject, Injectable, signal, untracked } from '@angular/core';
import {
  RealtimeEvent,
  RoomKind,
  type RealtimeEventPayloads,
  type RoomRef,
} from '@gridwatch/contracts';
import { RealtimeClient, type RealtimeClientOptions } from '@gridwatch/realtime-client';
import { filter, firstValueFrom, map, Observable, throttleTime, type Subscription } from 'rxjs';
import { AuthService } from '../auth/auth.service';

/**
 * What the connection indicator says: `connecting` before the first connection, `live` while
 * connected, `reconnecting` right after losing it, `polling` once the screens refetch over HTTP
 * instead (the client's fallback ticks).
 */
export type LiveConnection = 'connecting' | 'live' | 'reconnecting' | 'polling';

const ORGANIZATION_ROOM: RoomRef = { kind: RoomKind.Organization };

/**
 * The RealtimeClient's options (injection context): the stored access token, or a renewed one
 * when the server refused or expired the last. A refused renewal connects without a token
 * (refused again, retried with backoff); the HTTP interceptor is the one that ends the session.
 */
export function realtimeClientOptions(): RealtimeClientOptions {
  const auth = inject(AuthService);
  return {
    token: async (fresh) => {
      if (!fresh) return auth.accessToken();
      try {
        return await firstValueFrom(auth.refreshAccessToken());
      } catch {
        return null;
      }
    },
  };
}

/**
 * Live updates for the signed-in user: starts the RealtimeClient once a user is signed in (after
 * sign-in or a reload), joins the organization's room, and stops it when the session ends
 * (sign-out, refused refresh). Pages take events and fallback refetch ticks from here.
 */
@Injectable({ providedIn: 'root' })
export class RealtimeSession {
  private readonly client = inject(RealtimeClient);
  private readonly auth = inject(AuthService);
  private readonly state = signal<LiveConnection>('connecting');
  private membership: Subscription | null = null;
  private userId: string | null = null;
  private everLive = false;
  private polledSinceLive = false;

  /** For the connection indicator. */
  readonly connection = this.state.asReadonly();
  /** Refetch over HTTP now: ticks while disconnected, and once after reconnecting. */
  readonly poll$: Observable<void> = this.client.poll$;

  constructor() {
    const subscriptions = [
      this.client.state$.subscribe(() => this.update()),
      this.client.poll$.subscribe(() => {
        if (this.client.state === 'connected') return; // the catch-up after a reconnection
        this.polledSinceLive = true;
        this.update();
      }),
    ];
    inject(DestroyRef).onDestroy(() => {
      for (const subscription of subscriptions) subscription.unsubscribe();
      this.stop();
    });
    effect(() => {
      const userId = this.auth.user()?.id ?? null;
      untracked(() => this.follow(userId));
    });
  }

  /** Events of one type in the caller's organization, while subscribed. */
  events<E extends RealtimeEvent>(event: E): Observable<RealtimeEventPayloads[E]> {
    return this.client.watch(ORGANIZATION_ROOM, event);
  }

  /**
   * For figures computed from readings (energy bars): one tick after readings arrive, for one site
   * when `siteId` is given, at most one per `throttleMs` and trailing, so a burst asks once.
   */
  readingTicks(throttleMs: number, siteId?: string): Observable<void> {
    return this.events(RealtimeEvent.ReadingReceived).pipe(
      filter(
        (event) =>
          siteId === undefined || event.readings.some((reading) => reading.siteId === siteId),
      ),
      throttleTime(throttleMs, undefined, { leading: false, trailing: true }),
      map(() => undefined),
    );
  }

  /** Events of one type about one meter, while subscribed (joins the meter's room). */
  meterEvents<E extends RealtimeEvent>(
    meterId: string,
    event: E,
  ): Observable<RealtimeEventPayloads[E]> {
    return this.client.watch({ kind: RoomKind.Meter, id: meterId }, event);
  }

  /** Events of one type about one ticket, while subscribed (joins the ticket's room). */
  ticketEvents<E extends RealtimeEvent>(
    ticketId: string,
    event: E,
  ): Observable<RealtimeEventPayloads[E]> {
    return this.client.watch({ kind: RoomKind.Ticket, id: ticketId }, event);
  }

  private follow(userId: string | null): void {
    if (userId === this.userId) return;
    if (this.userId !== null) this.stop();
    this.userId = userId;
    if (userId === null) return;
    this.membership = this.client.join(ORGANIZATION_ROOM).subscribe();
    this.client.start();
  }

  private stop(): void {
    this.membership?.unsubscribe();
    this.membership = null;
    this.client.stop();
    this.everLive = false;
    this.polledSinceLive = false;
    this.update();
  }

  private update(): void {
    if (this.client.state === 'connected') {
      this.everLive = true;
      this.polledSinceLive = false;
      this.state.set('live');
    } else if (this.polledSinceLive) {
      this.state.set('polling');
    } else {
      this.state.set(this.everLive ? 'reconnecting' : 'connecting');
    }
  }
}
