import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { NotificationCreatedEvent, NotificationView } from '@gridwatch/contracts';
import { Subject } from 'rxjs';
import { aUser, anError } from '../../testing/fixtures';
import { AuthService } from '../auth/auth.service';
import { TokenStorage } from '../auth/token-storage';
import { RealtimeSession } from '../realtime/realtime-session.service';
import { unreadBadge } from './notification-bell.component';
import { NotificationCenter } from './notification-center.service';

const ME = aUser({ role: 'operator' });

function aNotification(overrides: Partial<NotificationView> = {}): NotificationView {
  return {
    id: 'n1',
    alertId: 'a1',
    event: 'alert.triggered',
    title: 'UPS mains below 200 V',
    body: 'voltage 182',
    severity: 'critical',
    read: false,
    createdAt: '2026-12-07T06:00:00Z',
    ...overrides,
  };
}

describe('NotificationCenter', () => {
  let backend: HttpTestingController;
  let center: NotificationCenter;
  const poll = new Subject<void>();
  const created = new Subject<NotificationCreatedEvent>();

  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        {
          provide: RealtimeSession,
          useValue: { poll$: poll.asObservable(), events: () => created.asObservable() },
        },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    TestBed.inject(TokenStorage).write({ accessToken: 'a', refreshToken: 'r' });
    TestBed.inject(AuthService).loadUser().subscribe();
    backend.expectOne('/api/v1/auth/me').flush(ME);
    center = TestBed.inject(NotificationCenter);
  });

  afterEach(() => backend.verify());

  function answerLoad(unread: number, items: NotificationView[]): void {
    backend.expectOne('/api/v1/notifications/unread-count').flush({ unread });
    backend.expectOne('/api/v1/notifications?limit=10').flush({ items, total: items.length });
  }

  it('loads the unread count and the latest notifications once started', () => {
    center.start();
    center.start(); // a second bell does not load twice
    answerLoad(4, [aNotification()]);
    expect(center.unread()).toBe(4);
    expect(center.recent().map((n) => n.id)).toEqual(['n1']);
  });

  it('counts a live notification of the user once, and ignores another user’s', () => {
    center.start();
    answerLoad(0, []);
    const event = { organizationId: ME.organizationId, userId: ME.id };
    created.next({ ...event, notification: aNotification({ id: 'n2' }) });
    created.next({ ...event, notification: aNotification({ id: 'n2' }) });
    created.next({ ...event, userId: 'someone-else', notification: aNotification({ id: 'n3' }) });
    expect(center.unread()).toBe(1);
    expect(center.recent().map((n) => n.id)).toEqual(['n2']);
  });

  it('marks one read, then all read, on the server and here', () => {
    center.start();
    answerLoad(2, [aNotification({ id: 'n1' }), aNotification({ id: 'n2' })]);
    center.markRead(center.recent()[0]);
    backend.expectOne({ method: 'POST', url: '/api/v1/notifications/n1/read' }).flush({});
    expect(center.unread()).toBe(1);
    expect(center.recent()[0].read).toBe(true);
    center.markAllRead();
    backend.expectOne({ method: 'POST', url: '/api/v1/notifications/read-all' }).flush({});
    expect(center.unread()).toBe(0);
    expect(center.recent().every((n) => n.read)).toBe(true);
  });

  it('refetches on a fallback poll tick and shows the API’s message when that fails', () => {
    center.start();
    answerLoad(1, []);
    poll.next();
    backend
      .expectOne('/api/v1/notifications/unread-count')
      .flush(anError(503, 'unavailable', 'Try again'), { status: 503, statusText: 'x' });
    backend.expectOne('/api/v1/notifications?limit=10').flush({ items: [], total: 0 });
    expect(center.error()).toBe('Try again');
    expect(center.unread()).toBe(1);
  });

  it('caps the badge at 99+', () => {
    expect(unreadBadge(7)).toBe('7');
    expect(unreadBadge(100)).toBe('99+');
  });
});
