import type {
  DeviceStatusChangedEvent,
  ReadingReceivedEvent,
  RoomRef,
  SubscriptionAck,
} from '@gridwatch/contracts';
import type { Socket } from 'socket.io-client';
import { concerns, RealtimeClient, type ConnectionState } from './realtime-client';

type Listener = (...args: unknown[]) => void;

/** Stands in for socket.io-client's Socket; the test plays the server. */
class FakeSocket {
  url = '';
  connected = false;
  active = false;
  connectCalls = 0;
  readonly sent: Array<[string, unknown]> = [];
  private auth: (send: (data: object) => void) => void = () => undefined;
  private readonly listeners = new Map<string, Set<Listener>>();

  factory = (url: string, options: { auth?: unknown }) => {
    this.url = url;
    this.auth = options.auth as (send: (data: object) => void) => void;
    return this as unknown as Socket;
  };

  on(event: string, listener: Listener) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)?.add(listener);
    return this;
  }

  off(event: string, listener: Listener) {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  connect() {
    this.connectCalls += 1;
    this.active = true;
    return this;
  }

  disconnect() {
    this.connected = false;
    this.active = false;
    return this;
  }

  emit(event: string, payload: unknown) {
    this.sent.push([event, payload]);
    return this;
  }

  timeout() {
    return {
      emitWithAck: async (event: string, room: unknown): Promise<SubscriptionAck> => {
        this.sent.push([event, room]);
        return { ok: true, room: room as RoomRef };
      },
    };
  }

  /** Runs the client's auth callback, accepts, and answers what it sent. */
  async accept(): Promise<object> {
    const auth = await new Promise<object>((resolve) => this.auth(resolve));
    this.connected = true;
    this.fire('connect');
    return auth;
  }

  /** The handshake middleware refused: socket.io-client gives up (inactive) and reports. */
  async refuse(code: string): Promise<object> {
    const auth = await new Promise<object>((resolve) => this.auth(resolve));
    this.active = false;
    this.fire('connect_error', new Error(code));
    return auth;
  }

  drop(reason: string) {
    this.connected = false;
    if (reason === 'io server disconnect') this.active = false;
    this.fire('disconnect', reason);
  }

  fire(event: string, ...args: unknown[]) {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }

  subscribes(): unknown[] {
    return this.sent.filter(([event]) => event === 'subscribe').map(([, room]) => room);
  }
}

const METER: RoomRef = { kind: 'meter', id: 'a1b2c3d4-0000-4000-8000-000000000001' };
const SITE: RoomRef = { kind: 'site', id: 'a1b2c3d4-0000-4000-8000-000000000002' };

describe('RealtimeClient', () => {
  let socket: FakeSocket;
  let client: RealtimeClient;
  let tokens: boolean[];
  let states: ConnectionState[];
  let pollsAt: number[];
  let startedAt: number;

  beforeEach(() => {
    jest.useFakeTimers();
    socket = new FakeSocket();
    tokens = [];
    client = new RealtimeClient({
      url: 'https://gridwatch.example',
      token: async (fresh) => {
        tokens.push(fresh);
        return fresh ? 'fresh-token' : 'token';
      },
      socketFactory: socket.factory,
    });
    states = [];
    client.state$.subscribe((state) => states.push(state));
    pollsAt = [];
    startedAt = Date.now();
    client.poll$.subscribe(() => pollsAt.push(Date.now() - startedAt));
  });

  afterEach(() => {
    client.stop();
    jest.useRealTimers();
  });

  it('connects to the /realtime namespace with the access token and reports its state', async () => {
    client.start();
    expect(socket.url).toBe('https://gridwatch.example/realtime');
    expect(await socket.accept()).toEqual({ token: 'token' });
    expect(states).toEqual(['disconnected', 'connecting', 'connected']);
    expect(client.state).toBe('connected');
    expect(pollsAt).toEqual([]);
  });

  it('subscribes to joined rooms once, on connect, and again after every reconnection', async () => {
    const acks: SubscriptionAck[] = [];
    client.join(METER).subscribe((ack) => acks.push(ack));
    client.start();
    await socket.accept();
    client.join(SITE).subscribe();
    await jest.advanceTimersByTimeAsync(0);
    expect(socket.subscribes()).toEqual([METER, SITE]);
    expect(acks).toEqual([{ ok: true, room: METER }]);

    socket.drop('transport close');
    await socket.accept();
    await jest.advanceTimersByTimeAsync(0);
    expect(socket.subscribes()).toEqual([METER, SITE, METER, SITE]);
    expect(acks).toHaveLength(2);
  });

  it('shares a room between watchers and leaves it when the last one goes', async () => {
    client.start();
    await socket.accept();
    const first = client.join(METER).subscribe();
    const second = client.join({ ...METER }).subscribe();
    await jest.advanceTimersByTimeAsync(0);
    expect(socket.subscribes()).toEqual([METER]);
    first.unsubscribe();
    expect(socket.sent.filter(([event]) => event === 'unsubscribe')).toEqual([]);
    second.unsubscribe();
    expect(socket.sent.filter(([event]) => event === 'unsubscribe')).toEqual([
      ['unsubscribe', METER],
    ]);

    socket.drop('transport close');
    await socket.accept();
    await jest.advanceTimersByTimeAsync(0);
    expect(socket.subscribes()).toEqual([METER]);
  });

  it('polls every 5 s, then 10 s, then 30 s while disconnected, and once more on reconnecting', async () => {
    client.start();
    await socket.accept();
    startedAt = Date.now();
    socket.drop('ping timeout');
    expect(client.state).toBe('disconnected');
    await jest.advanceTimersByTimeAsync(110_000);
    expect(pollsAt).toEqual([5000, 10000, 15000, 25000, 35000, 45000, 75000, 105000]);

    await socket.accept();
    expect(pollsAt).toHaveLength(9);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(pollsAt).toHaveLength(9);
  });

  it('starts over at 5 s after the next disconnection', async () => {
    client.start();
    await socket.accept();
    socket.drop('transport close');
    await jest.advanceTimersByTimeAsync(60_000);
    await socket.accept();
    startedAt = Date.now();
    pollsAt.length = 0;
    socket.drop('transport close');
    await jest.advanceTimersByTimeAsync(5_000);
    expect(pollsAt).toEqual([5000]);
  });

  it('reconnects at once with a fresh token when the server expires the old one', async () => {
    client.join(METER).subscribe();
    client.start();
    await socket.accept();
    socket.fire('token_expired', { expiredAt: new Date().toISOString() });
    socket.drop('io server disconnect');
    expect(client.state).toBe('disconnected');
    await jest.advanceTimersByTimeAsync(0);
    expect(socket.connectCalls).toBe(2);
    expect(await socket.accept()).toEqual({ token: 'fresh-token' });
    expect(tokens).toEqual([false, true]);
    await jest.advanceTimersByTimeAsync(0);
    expect(socket.subscribes()).toEqual([METER, METER]);
  });

  it('after a refused handshake, retries with backoff and asks for a fresh token', async () => {
    client.start();
    expect(await socket.refuse('invalid_token')).toEqual({ token: 'token' });
    expect(client.state).toBe('disconnected');
    await jest.advanceTimersByTimeAsync(999);
    expect(socket.connectCalls).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(socket.connectCalls).toBe(2);
    expect(await socket.refuse('unavailable')).toEqual({ token: 'fresh-token' });
    await jest.advanceTimersByTimeAsync(2000);
    expect(socket.connectCalls).toBe(3);
    expect(await socket.accept()).toEqual({ token: 'token' });
    expect(client.state).toBe('connected');
  });

  it('leaves network failures to socket.io’s own reconnection', async () => {
    client.start();
    socket.fire('connect_error', new Error('xhr poll error'));
    await jest.advanceTimersByTimeAsync(60_000);
    expect(socket.connectCalls).toBe(1);
    expect(client.state).toBe('disconnected');
  });

  it('delivers the events that concern a watched room only', async () => {
    client.start();
    await socket.accept();
    const seen: ReadingReceivedEvent[] = [];
    const watching = client.watch(METER, 'reading.received').subscribe((e) => seen.push(e));
    const event = (room: RoomRef): ReadingReceivedEvent => ({
      organizationId: 'o1',
      room,
      readings: [],
    });
    socket.fire('reading.received', event(SITE));
    socket.fire('reading.received', event(METER));
    expect(seen).toEqual([event(METER)]);
    watching.unsubscribe();
    expect(socket.sent.at(-1)).toEqual(['unsubscribe', METER]);
    socket.fire('reading.received', event(METER));
    expect(seen).toHaveLength(1);
  });

  it('stops for good: no reconnection and no polling', async () => {
    client.start();
    await socket.accept();
    client.stop();
    socket.drop('io client disconnect');
    await jest.advanceTimersByTimeAsync(120_000);
    expect(socket.connectCalls).toBe(1);
    expect(pollsAt).toEqual([]);
    expect(client.state).toBe('disconnected');
  });
});

describe('concerns', () => {
  const status = {
    organizationId: 'o1',
    meterId: METER.id,
    siteId: SITE.id,
  } as DeviceStatusChangedEvent;

  it('matches reading events by their room and other events by their ids', () => {
    expect(concerns(METER, { room: METER })).toBe(true);
    expect(concerns(METER, { room: SITE })).toBe(false);
    expect(concerns({ kind: 'organization' }, { room: { kind: 'organization', id: 'o1' } })).toBe(
      true,
    );
    expect(concerns(METER, status)).toBe(true);
    expect(concerns(SITE, status)).toBe(true);
    expect(concerns({ kind: 'meter', id: 'other' }, status)).toBe(false);
    expect(concerns({ kind: 'organization' }, status)).toBe(true);
  });
});
