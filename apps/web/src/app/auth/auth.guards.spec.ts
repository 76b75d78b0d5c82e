import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import {
  ActivatedRouteSnapshot,
  GuardResult,
  MaybeAsync,
  provideRouter,
  Router,
  RouterStateSnapshot,
} from '@angular/router';
import { firstValueFrom, isObservable } from 'rxjs';
import { aUser, anError } from '../../testing/fixtures';
import { Scope } from '@gridwatch/contracts';
import { authGuard, safeReturnUrl, scopeGuard } from './auth.guards';
import { AuthService } from './auth.service';
import { authInterceptor } from './auth.interceptor';
import { TokenStorage } from './token-storage';

describe('authGuard', () => {
  let backend: HttpTestingController;
  let storage: TokenStorage;

  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    storage = TestBed.inject(TokenStorage);
    jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
  });

  afterEach(() => backend.verify());

  function check(url: string): MaybeAsync<GuardResult> {
    const state = { url } as RouterStateSnapshot;
    return TestBed.runInInjectionContext(() => authGuard({} as ActivatedRouteSnapshot, state));
  }

  async function resolve(result: MaybeAsync<GuardResult>): Promise<string | boolean> {
    const value = isObservable(result) ? await firstValueFrom(result) : await result;
    return typeof value === 'boolean' ? value : TestBed.inject(Router).serializeUrl(value as never);
  }

  it('sends a visitor without a session to /login, remembering where they were going', async () => {
    expect(await resolve(check('/overview'))).toBe('/login?returnUrl=%2Foverview');
  });

  it('reloads the user of a stored session (a reload of a deep link) before letting them in', async () => {
    storage.write({ accessToken: 'access-1', refreshToken: 'refresh-1' });

    const result = resolve(check('/overview'));
    backend.expectOne('/api/v1/auth/me').flush(aUser());

    expect(await result).toBe(true);
  });

  it('forgets a session the API no longer accepts', async () => {
    storage.write({ accessToken: 'access-1', refreshToken: 'refresh-1' });

    const result = resolve(check('/overview'));
    backend
      .expectOne('/api/v1/auth/me')
      .flush(anError(401, 'invalid_token', 'The access token is invalid'), {
        status: 401,
        statusText: 'Unauthorized',
      });
    backend
      .expectOne('/api/v1/auth/refresh')
      .flush(anError(401, 'invalid_token', 'The refresh token is invalid'), {
        status: 401,
        statusText: 'Unauthorized',
      });

    expect(await result).toBe('/login?returnUrl=%2Foverview');
    expect(storage.read()).toBeNull();
  });

  it('keeps the session when the user could not be loaded for another reason (aborted by a reload, network down)', async () => {
    storage.write({ accessToken: 'access-1', refreshToken: 'refresh-1' });

    const result = resolve(check('/overview'));
    backend.expectOne('/api/v1/auth/me').error(new ProgressEvent('abort'));

    expect(await result).toBe('/login?returnUrl=%2Foverview');
    expect(storage.read()).toEqual({ accessToken: 'access-1', refreshToken: 'refresh-1' });
  });
});

describe('safeReturnUrl', () => {
  it.each([
    [null, '/overview'],
    ['/overview?x=1', '/overview?x=1'],
    ['https://evil.example', '/overview'],
    ['//evil.example', '/overview'],
    ['/login', '/overview'],
  ])('%s -> %s', (candidate, expected) => {
    expect(safeReturnUrl(candidate)).toBe(expected);
  });
});

describe('scopeGuard', () => {
  function checkAs(role: 'viewer' | 'operator' | 'owner', scope: Scope): string | boolean {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    TestBed.inject(AuthService).loadUser().subscribe();
    TestBed.inject(HttpTestingController).expectOne('/api/v1/auth/me').flush(aUser({ role }));
    const result = TestBed.runInInjectionContext(() =>
      scopeGuard(scope)({} as ActivatedRouteSnapshot, {} as RouterStateSnapshot),
    );
    return typeof result === 'boolean'
      ? result
      : TestBed.inject(Router).serializeUrl(result as never);
  }

  it('refuses a typed edit URL to a viewer: the "not allowed" page, no data of the page', () => {
    expect(checkAs('viewer', Scope.DevicesWrite)).toBe('/forbidden');
  });

  it('lets an operator edit devices', () => {
    expect(checkAs('operator', Scope.DevicesWrite)).toBe(true);
  });

  it('keeps Admin (users:manage) from an operator', () => {
    expect(checkAs('operator', Scope.UsersManage)).toBe('/forbidden');
  });

  it('opens Admin to an owner', () => {
    expect(checkAs('owner', Scope.UsersManage)).toBe(true);
  });
});
