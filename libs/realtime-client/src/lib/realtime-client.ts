import {
  REALTIME_NAMESPACE,
  RealtimeCommand,
  RealtimeErrorCode,
  RealtimeNotice,
  RoomKind,
  type RealtimeEvent,
  type RealtimeEventPayloads,
  type RoomRef,
  type SubscriptionAck,
  type SubscriptionErrorNotice,
} from '@gridwatch/contracts';
import { BehaviorSubject, Observable, Subject, distinctUntilChanged, filter } from 'rxjs';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface RealtimeClientOptions {
  /** The API's origin; omitted, the page's own (the API serves the SPA in production). */
  url?: string;
  /**
   * The access token for a (re)connection. `fresh` is true after the server refused or expired
   * the last one: answer a renewed token (refresh it first). Null connects without one, and fails.
   */
  token: (fresh: boolean) => Promise<string | null> | string | null;
  /** Polling intervals while disconnected; each used `pollsPerStep` times, the last for good. */
  fallbackPollMs?: readonly number[];
  pollsPerStep?: number;
  /** Waits before connecting again after a refused handshake or a server-side disconnect. */
  retryMs?: readonly number[];
  /** Ack wait for subscribe / unsubscribe. */
  ackTimeoutMs?: number;
  /** Creates the socket; tests replace it. */
  socketFactory?: (url: string, options: Partial<ManagerOptions & SocketOptions>) => Socket;
}

/** Seed 002: poll at once-ish (5 s), then 10 s while it may be a blip, then 30 s for an outage. */
export const DEFAULT_FALLBACK_POLL_MS: readonly number[] = [5000, 10000, 30000];
const DEFAULT_RETRY_MS: readonly number[] = [1000, 2000, 5000, 10000, 30000];
const TOKEN_PROBLEMS: readonly string[] = [
  RealtimeErrorCode.InvalidToken,
  RealtimeErrorCode.Unauthenticated,
];

interface JoinedRoom {
  ref: RoomRef;
  watchers: number;
  acks: Subject<SubscriptionAck>;
}

/**
 * The SPA's live connection to the API (socket.io, namespace /realtime). It authenticates with
 * the access token, follows token expiry by reconnecting with a fresh one, subscribes again to
 * every room after each reconnection, and ticks `poll$` while disconnected so screens refetch
 * over HTTP instead (5 s, then 10 s, then 30 s), plus once on reconnection to catch up.
 */
export class RealtimeClient {
  private readonly socket: Socket;
  private readonly stateSubject = new BehaviorSubject<ConnectionState>('disconnected');
  private readonly pollSubject = new Subject<void>();
  private readonly refusals = new Subject<SubscriptionErrorNotice>();
  private readonly rooms = new Map<string, JoinedRoom>();
  private readonly pollMs: readonly number[];
  private readonly pollsPerStep: number;
  private readonly retryMs: readonly number[];
  private readonly ackTimeoutMs: number;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private polls = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retries = 0;
  private freshToken = false;
  private everConnected = false;
  private running = false;

  /** Current connection state; replays the latest to new subscribers. */
  readonly state$: Observable<ConnectionState> = this.stateSubject.pipe(distinctUntilChanged());
  /** Refetch now: ticks while disconnected (fallback polling), and once after reconnecting. */
  readonly poll$: Observable<void> = this.pollSubject.asObservable();
  /** Subscriptions the server refused. */
  readonly subscriptionErrors$: Observable<SubscriptionErrorNotice> = this.refusals.asObservable();

  constructor(private readonly options: RealtimeClientOptions) {
    this.pollMs = options.fallbackPollMs ?? DEFAULT_FALLBACK_POLL_MS;
    this.pollsPerStep = options.pollsPerStep ?? 3;
    this.retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10000;
    const create = options.socketFactory ?? io;
    this.socket = create(`${options.url ?? ''}${REALTIME_NAMESPACE}`, {
      autoConnect: false,
      transports: ['websocket', 'polling'],
      auth: (send) => this.authenticate(send),
    });
    this.socket.on('connect', () => this.onConnect());
    this.socket.on('disconnect', (reason: Socket.DisconnectReason) => this.onDisconnect(reason));
    this.socket.on('connect_error', (error: Error) => this.onConnectError(error));
    this.socket.on(RealtimeNotice.TokenExpired, () => (this.freshToken = true));
    this.socket.on(RealtimeNotice.SubscriptionError, (notice: SubscriptionErrorNotice) =>
      this.refusals.next(notice),
    );
  }

  get state(): ConnectionState {
    return this.stateSubject.value;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.open();
  }

  /** Disconnects for good (sign-out, app teardown). */
  stop(): void {
    this.running = false;
    clearTimeout(this.retryTimer);
    this.stopPolling();
    this.socket.disconnect();
    this.stateSubject.next('disconnected');
  }

  /** Every event of one type, from all joined rooms. */
  on<E extends RealtimeEvent>(event: E): Observable<RealtimeEventPayloads[E]> {
    return new Observable<RealtimeEventPayloads[E]>((subscriber) => {
      const listener = (payload: RealtimeEventPayloads[E]) => subscriber.next(payload);
      this.socket.on(event as string, listener);
      return () => this.socket.off(event as string, listener);
    });
  }

  /**
   * Joins `room` while subscribed (shared: the last watcher to leave unsubscribes), and emits the
   * server's answer after each (re)connection.
   */
  join(room: RoomRef): Observable<SubscriptionAck> {
    return new Observable<SubscriptionAck>((subscriber) => {
      const key = roomKey(room);
      let joined = this.rooms.get(key);
      if (!joined) {
        joined = { ref: room, watchers: 0, acks: new Subject<SubscriptionAck>() };
        this.rooms.set(key, joined);
        if (this.socket.connected) void this.send(joined);
      }
      joined.watchers += 1;
      const entry = joined;
      const forwarding = entry.acks.subscribe(subscriber);
      return () => {
        forwarding.unsubscribe();
        entry.watchers -= 1;
        if (entry.watchers > 0) return;
        this.rooms.delete(key);
        if (this.socket.connected) this.socket.emit(RealtimeCommand.Unsubscribe, entry.ref);
      };
    });
  }

  /** Events of one type that concern `room`, while in the room. */
  watch<E extends RealtimeEvent>(room: RoomRef, event: E): Observable<RealtimeEventPayloads[E]> {
    return new Observable<RealtimeEventPayloads[E]>((subscriber) => {
      const membership = this.join(room).subscribe();
      const events = this.on(event)
        .pipe(filter((payload) => concerns(room, payload)))
        .subscribe(subscriber);
      return () => {
        events.unsubscribe();
        membership.unsubscribe();
      };
    });
  }

  private open(): void {
    this.stateSubject.next('connecting');
    this.socket.connect();
  }

  private authenticate(send: (data: object) => void): void {
    const fresh = this.freshToken;
    this.freshToken = false;
    Promise.resolve()
      .then(() => this.options.token(fresh))
      .then(
        (token) => send(token ? { token } : {}),
        () => send({}),
      );
  }

  private onConnect(): void {
    // Whatever happened while disconnected was missed (or polled a while ago): refetch once.
    const catchUp = this.everConnected || this.pollTimer !== undefined;
    this.everConnected = true;
    this.retries = 0;
    this.stopPolling();
    this.stateSubject.next('connected');
    for (const room of this.rooms.values()) void this.send(room);
    if (catchUp) this.pollSubject.next();
  }

  private onDisconnect(reason: Socket.DisconnectReason): void {
    if (!this.running) return;
    this.stateSubject.next('disconnected');
    this.startPolling();
    // socket.io reconnects by itself, except after the server closed the socket (token expiry).
    if (reason === 'io server disconnect') this.retry(this.freshToken ? 0 : undefined);
  }

  private onConnectError(error: Error): void {
    if (!this.running) return;
    this.stateSubject.next('disconnected');
    this.startPolling();
    if (this.socket.active) return; // a network failure: socket.io is already retrying
    if (TOKEN_PROBLEMS.includes(error.message)) this.freshToken = true;
    this.retry();
  }

  private retry(delayMs?: number): void {
    clearTimeout(this.retryTimer);
    const wait = delayMs ?? this.retryMs[Math.min(this.retries, this.retryMs.length - 1)] ?? 0;
    this.retries += 1;
    this.retryTimer = setTimeout(() => {
      if (this.running && !this.socket.connected) this.open();
    }, wait);
  }

  private async send(room: JoinedRoom): Promise<void> {
    try {
      const ack = (await this.socket
        .timeout(this.ackTimeoutMs)
        .emitWithAck(RealtimeCommand.Subscribe, room.ref)) as SubscriptionAck;
      room.acks.next(ack);
    } catch {
      // No answer in time: the next reconnection subscribes again.
    }
  }

  private startPolling(): void {
    if (this.pollTimer !== undefined) return;
    this.polls = 0;
    this.schedulePoll();
  }

  private schedulePoll(): void {
    const step = Math.min(Math.floor(this.polls / this.pollsPerStep), this.pollMs.length - 1);
    this.pollTimer = setTimeout(() => {
      this.polls += 1;
      this.schedulePoll();
      this.pollSubject.next();
    }, this.pollMs[step]);
  }

  private stopPolling(): void {
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
  }
}

function roomKey(room: RoomRef): string {
  return room.kind === RoomKind.Organization ? room.kind : `${room.kind}:${room.id}`;
}

/**
 * Whether an event concerns a room: reading events name their room; others carry
 * `<kind>Id` fields (meterId, siteId, ...), and the organization room sees everything.
 */
export function concerns(room: RoomRef, payload: object): boolean {
  if ('room' in payload) return roomKey(payload.room as RoomRef) === roomKey(room);
  if (room.kind === RoomKind.Organization) return true;
  return (payload as Record<string, unknown>)[`${room.kind}Id`] === room.id;
}
