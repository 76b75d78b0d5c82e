import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { aTokenPair, anError } from '../../testing/fixtures';
import { authInterceptor } from './auth.interceptor';
import { TokenStorage } from './token-storage';

const expired = anError(401, 'invalid_token', 'The access token has expired');
const unauthorized = { status: 401, statusText: 'Unauthorized' };

describe('authInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let storage: TokenStorage;
  let navigate: jest.SpyInstance;

  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    storage = TestBed.inject(TokenStorage);
    navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    storage.write({ accessToken: 'access-1', refreshToken: 'refresh-1' });
  });

  afterEach(() => backend.verify());

  it('sends the stored access token as a bearer token', () => {
    http.get('/api/v1/sites').subscribe();

    const request = backend.expectOne('/api/v1/sites');
    expect(request.request.headers.get('Authorization')).toBe('Bearer access-1');
    request.flush({ items: [], total: 0 });
  });

  it('refreshes once for concurrent 401s and retries every request with the new token', () => {
    const answers: unknown[] = [];
    http.get('/api/v1/sites').subscribe((body) => answers.push(body));
    http.get('/api/v1/meters').subscribe((body) => answers.push(body));
    http.get('/api/v1/gateways').subscribe((body) => answers.push(body));

    backend.expectOne('/api/v1/sites').flush(expired, unauthorized);
    backend.expectOne('/api/v1/meters').flush(expired, unauthorized);
    backend.expectOne('/api/v1/gateways').flush(expired, unauthorized);

    const refresh = backend.expectOne('/api/v1/auth/refresh');
    expect(refresh.request.body).toEqual({ refreshToken: 'refresh-1' });
    expect(refresh.request.headers.has('Authorization')).toBe(false);
    refresh.flush(aTokenPair('access-2', 'refresh-2'));

    for (const url of ['/api/v1/sites', '/api/v1/meters', '/api/v1/gateways']) {
      const retry = backend.expectOne(url);
      expect(retry.request.headers.get('Authorization')).toBe('Bearer access-2');
      retry.flush({ url });
    }
    expect(answers).toHaveLength(3);
    expect(storage.read()).toEqual({ accessToken: 'access-2', refreshToken: 'refresh-2' });
  });

  it('retries a late 401 with the token another request already refreshed, without refreshing again', () => {
    http.get('/api/v1/sites').subscribe();
    http.get('/api/v1/meters').subscribe();
    backend.expectOne('/api/v1/sites').flush(expired, unauthorized);
    backend.expectOne('/api/v1/auth/refresh').flush(aTokenPair('access-2', 'refresh-2'));
    backend.expectOne('/api/v1/sites').flush({});

    // The meters request went out with access-1 and only now comes back refused.
    backend.expectOne('/api/v1/meters').flush(expired, unauthorized);

    backend.expectNone('/api/v1/auth/refresh');
    const retry = backend.expectOne('/api/v1/meters');
    expect(retry.request.headers.get('Authorization')).toBe('Bearer access-2');
    retry.flush({});
  });

  it('ends the session and sends the user to /login when the refresh is refused', () => {
    let failure: unknown;
    http.get('/api/v1/sites').subscribe({ error: (error: unknown) => (failure = error) });

    backend.expectOne('/api/v1/sites').flush(expired, unauthorized);
    backend
      .expectOne('/api/v1/auth/refresh')
      .flush(anError(401, 'refresh_token_reused', 'Sign in again.'), unauthorized);

    expect(failure).toMatchObject({ status: 401 });
    expect(storage.read()).toBeNull();
    expect(navigate).toHaveBeenCalledWith(['/login'], expect.anything());
  });

  it('surfaces a 401 on the retried request instead of refreshing in a loop', () => {
    let failure: unknown;
    http.get('/api/v1/sites').subscribe({ error: (error: unknown) => (failure = error) });

    backend.expectOne('/api/v1/sites').flush(expired, unauthorized);
    backend.expectOne('/api/v1/auth/refresh').flush(aTokenPair('access-2', 'refresh-2'));
    backend.expectOne('/api/v1/sites').flush(expired, unauthorized);

    backend.expectNone('/api/v1/auth/refresh');
    expect(failure).toMatchObject({ status: 401 });
  });

  it('leaves other errors alone', () => {
    let failure: unknown;
    http.get('/api/v1/sites').subscribe({ error: (error: unknown) => (failure = error) });

    backend
      .expectOne('/api/v1/sites')
      .flush(anError(403, 'forbidden', 'Missing scope: devices:read'), {
        status: 403,
        statusText: 'Forbidden',
      });

    backend.expectNone('/api/v1/auth/refresh');
    expect(failure).toMatchObject({ status: 403 });
    expect(storage.read()).not.toBeNull();
  });

  it('sends a request without a session as it is', () => {
    storage.clear();
    http.get('/api/v1/auth/me').subscribe({ error: () => undefined });

    const request = backend.expectOne('/api/v1/auth/me');
    expect(request.request.headers.has('Authorization')).toBe(false);
    request.flush(
      anError(401, 'unauthenticated', 'A bearer access token is required'),
      unauthorized,
    );
  });
});
