import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { aUser } from '../../testing/fixtures';
import { authInterceptor } from '../auth/auth.interceptor';
import { AuthService } from '../auth/auth.service';
import { TokenStorage } from '../auth/token-storage';
import { RealtimeSession, type LiveConnection } from '../realtime/realtime-session.service';
import { NotificationCenter } from '../notifications/notification-center.service';
import { ShellComponent } from './shell.component';

describe('ShellComponent', () => {
  let fixture: ComponentFixture<ShellComponent>;
  let backend: HttpTestingController;
  let navigate: jest.SpyInstance;
  const connection = signal<LiveConnection>('live');
  const unread = signal(3);

  beforeEach(async () => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [ShellComponent],
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: RealtimeSession, useValue: { connection } },
        {
          provide: NotificationCenter,
          useValue: { unread, recent: signal([]), error: signal(null), start: jest.fn() },
        },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    TestBed.inject(TokenStorage).write({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    TestBed.inject(AuthService).loadUser().subscribe();
    backend.expectOne('/api/v1/auth/me').flush(aUser({ name: 'Oscar Operator', role: 'operator' }));
    fixture = TestBed.createComponent(ShellComponent);
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  const text = (id: string) =>
    (fixture.nativeElement as HTMLElement)
      .querySelector(`[data-testid="${id}"]`)
      ?.textContent?.trim();

  it('"Skip to content" focuses the page content without loading the app again', () => {
    const page = fixture.nativeElement as HTMLElement;
    const link = page.querySelector<HTMLAnchorElement>('[data-testid="skip-link"]');
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    link?.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    expect(document.activeElement?.id).toBe('main-content');
  });

  it('shows the organization, the user and their role', () => {
    expect(text('org-name')).toBe('GridWatch Demo');
    expect(text('user-name')).toBe('Oscar Operator');
    expect(text('user-role')).toBe('Operator');
  });

  it('shows the areas the role may open, Admin only to owners', () => {
    const links = [
      ...(fixture.nativeElement as HTMLElement).querySelectorAll('a[data-testid^="nav-"]'),
    ].map((link) => link.getAttribute('data-testid'));
    expect(links).toEqual([
      'nav-dashboard',
      'nav-sites',
      'nav-meters',
      'nav-gateways',
      'nav-alerts',
      'nav-tickets',
      'nav-energy',
    ]);
  });

  it('shows the unread notifications on the bell, and no badge when there are none', async () => {
    expect(text('unread-count')).toBe('3');
    unread.set(0);
    await fixture.whenStable();
    expect(text('unread-count')).toBeUndefined();
    unread.set(3);
  });

  it('says whether updates are live', async () => {
    expect(text('live-indicator')).toBe('Live');
    connection.set('polling');
    await fixture.whenStable();
    expect(text('live-indicator')).toBe('Polling');
    connection.set('live');
  });

  it('signing out revokes the session on the server, forgets it here and opens /login', async () => {
    (fixture.nativeElement as HTMLElement)
      .querySelector<HTMLButtonElement>('[data-testid="user-menu"]')
      ?.click();
    await fixture.whenStable();
    document.querySelector<HTMLButtonElement>('[data-testid="sign-out"]')?.click();

    const logout = backend.expectOne('/api/v1/auth/logout');
    expect(logout.request.body).toEqual({ refreshToken: 'refresh-1' });
    expect(TestBed.inject(TokenStorage).read()).toBeNull();
    logout.flush(null, { status: 204, statusText: 'No Content' });
    await fixture.whenStable();

    expect(navigate).toHaveBeenCalledWith(['/login']);
    expect(TestBed.inject(AuthService).user()).toBeNull();
  });
});
