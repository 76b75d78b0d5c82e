import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { RoomRef } from '@gridwatch/contracts';
import { RealtimeClient, type ConnectionState } from '@gridwatch/realtime-client';
import { BehaviorSubject, Observable, Subject } from 'rxjs';
import { aTokenPair, anError, aUser } from '../../testing/fixtures';
import { AuthService } from '../auth/auth.service';
import { TokenStorage } from '../auth/token-storage';
import { RealtimeSession, realtimeClientOptions } from './realtime-session.service';

/** The RealtimeClient's surface the session uses, driven by the test. */
class FakeRealtimeClient {
  readonly stateSubject = new BehaviorSubject<ConnectionState>('disconnected');
  readonly state$ = this.stateSubject.asObservable();
  readonly pollSubject = new Subject<void>();
  readonly poll$ = this.pollSubject.asObservable();
  readonly rooms: RoomRef[] = [];
  readonly start = jest.fn(() => this.stateSubject.next('connecting'));
  readonly stop = jest.fn(() => this.stateSubject.next('disconnected'));

  get state(): ConnectionState {
    return this.stateSubject.value;
  }

  join(room: RoomRef): Observable<never> {
    return new Observable<never>(() => {
      this.rooms.push(room);
      return () => this.rooms.splice(this.rooms.indexOf(room), 1);
    });
  }

  watch = jest.fn(() => new Subject<unknown>());
}

describe('RealtimeSession', () => {
  let client: FakeRealtimeClient;
  let backend: HttpTestingController;
  let auth: AuthService;

  beforeEach(() => {
    sessionStorage.clear();
    client = new FakeRealtimeClient();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: RealtimeClient, useValue: client },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    auth = TestBed.inject(AuthService);
  });

  afterEach(() => backend.verify());

  function signIn(id = aUser().id): void {
    TestBed.inject(TokenStorage).write({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    auth.loadUser().subscribe();
    backend.expectOne('/api/v1/auth/me').flush(aUser({ id }));
    TestBed.tick();
  }

  it('connects once a user is signed in, in the organization room, and disconnects on sign-out', () => {
    const session = TestBed.inject(RealtimeSession);
    TestBed.tick();
    expect(client.start).not.toHaveBeenCalled();

    signIn();
    expect(client.start).toHaveBeenCalledTimes(1);
    expect(client.rooms).toEqual([{ kind: 'organization' }]);
    expect(session.connection()).toBe('connecting');

    auth.loadUser().subscribe(); // the same user again: nothing to do
    backend.expectOne('/api/v1/auth/me').flush(aUser());
    TestBed.tick();
    expect(client.start).toHaveBeenCalledTimes(1);

    auth.logout().subscribe();
    backend.expectOne('/api/v1/auth/logout').flush(null);
    TestBed.tick();
    expect(client.stop).toHaveBeenCalledTimes(1);
    expect(client.rooms).toEqual([]);
  });

  it('reconnects as the new user when another one signs in', () => {
    TestBed.inject(RealtimeSession);
    signIn();
    signIn('7d3c4b63-0000-4000-8000-000000000002');
    expect(client.stop).toHaveBeenCalledTimes(1);
    expect(client.start).toHaveBeenCalledTimes(2);
    expect(client.rooms).toEqual([{ kind: 'organization' }]);
  });

  it('says Live while connected, Reconnecting after a loss, Polling once the fallback ticks', () => {
    const session = TestBed.inject(RealtimeSession);
    signIn();
    client.stateSubject.next('connected');
    expect(session.connection()).toBe('live');

    client.stateSubject.next('disconnected');
    expect(session.connection()).toBe('reconnecting');
    client.pollSubject.next();
    expect(session.connection()).toBe('polling');
    client.stateSubject.next('connecting');
    expect(session.connection()).toBe('polling');

    client.stateSubject.next('connected');
    client.pollSubject.next(); // the catch-up refetch after reconnecting
    expect(session.connection()).toBe('live');
  });

  it('watches events in the organization room', () => {
    const session = TestBed.inject(RealtimeSession);
    session.events('reading.received');
    expect(client.watch).toHaveBeenCalledWith({ kind: 'organization' }, 'reading.received');
  });

  it("ticks once after a burst of one site's readings, and not for another site's", () => {
    jest.useFakeTimers();
    try {
      const readings = new Subject<unknown>();
      client.watch.mockReturnValue(readings);
      const session = TestBed.inject(RealtimeSession);
      const ticks = jest.fn();
      session.readingTicks(5000, 'site-a').subscribe(ticks);
      const reading = (siteId: string) => ({ readings: [{ meterId: 'm', siteId }] });

      readings.next(reading('site-b'));
      jest.advanceTimersByTime(6000);
      expect(ticks).not.toHaveBeenCalled();

      readings.next(reading('site-a'));
      readings.next(reading('site-a'));
      readings.next(reading('site-a'));
      expect(ticks).not.toHaveBeenCalled(); // trailing: the figures are asked after the burst
      jest.advanceTimersByTime(5000);
      expect(ticks).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });

  describe('tokens', () => {
    const token = (fresh: boolean) =>
      TestBed.runInInjectionContext(realtimeClientOptions).token(fresh);

    beforeEach(() =>
      TestBed.inject(TokenStorage).write({ accessToken: 'access-1', refreshToken: 'refresh-1' }),
    );

    it('connects with the stored access token', async () => {
      expect(await token(false)).toBe('access-1');
    });

    it('renews the token when the last one was refused or expired', async () => {
      const renewed = token(true);
      const refresh = backend.expectOne('/api/v1/auth/refresh');
      expect(refresh.request.body).toEqual({ refreshToken: 'refresh-1' });
      refresh.flush(aTokenPair('access-2', 'refresh-2'));
      expect(await renewed).toBe('access-2');
      expect(TestBed.inject(TokenStorage).read()?.refreshToken).toBe('refresh-2');
    });

    it('answers no token when the renewal is refused', async () => {
      const renewed = token(true);
      backend
        .expectOne('/api/v1/auth/refresh')
        .flush(anError(401, 'invalid_token', 'Refresh token revoked'), {
          status: 401,
          statusText: 'Unauthorized',
        });
      expect(await renewed).toBeNull();
    });
  });
});
