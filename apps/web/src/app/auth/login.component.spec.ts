import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { ActivatedRoute, convertToParamMap, provideRouter, Router } from '@angular/router';
import { aTokenPair, aUser, anError } from '../../testing/fixtures';
import { authInterceptor } from './auth.interceptor';
import { AuthService } from './auth.service';
import { LoginComponent } from './login.component';
import { TokenStorage } from './token-storage';

/** Typed into the form; generated per run, so no password is written in the source. */
const PASSWORD = crypto.randomUUID();

describe('LoginComponent', () => {
  let fixture: ComponentFixture<LoginComponent>;
  let backend: HttpTestingController;
  let navigateByUrl: jest.SpyInstance;
  let queryParams: Record<string, string>;

  beforeEach(async () => {
    sessionStorage.clear();
    queryParams = {};
    TestBed.configureTestingModule({
      imports: [LoginComponent],
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
        {
          provide: ActivatedRoute,
          useValue: {
            snapshot: {
              get queryParamMap() {
                return convertToParamMap(queryParams);
              },
            },
          },
        },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    navigateByUrl = jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    fixture = TestBed.createComponent(LoginComponent);
    await fixture.whenStable();
  });

  afterEach(() => backend.verify());

  function byTestId<T extends HTMLElement>(id: string): T | null {
    return (fixture.nativeElement as HTMLElement).querySelector<T>(`[data-testid="${id}"]`);
  }

  function type(id: string, value: string): void {
    const input = byTestId<HTMLInputElement>(id);
    if (!input) throw new Error(`no input ${id}`);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  async function submit(email: string, password: string): Promise<void> {
    type('login-email', email);
    type('login-password', password);
    byTestId<HTMLButtonElement>('login-submit')?.click();
    await fixture.whenStable();
  }

  it('shows the message the API answers and lets the user try again', async () => {
    await submit('viewer@demo.gridwatch.dev', 'wrong-password');

    const submitButton = byTestId<HTMLButtonElement>('login-submit');
    expect(submitButton?.disabled).toBe(true);
    backend
      .expectOne('/api/v1/auth/login')
      .flush(anError(401, 'invalid_credentials', 'Email or password is incorrect'), {
        status: 401,
        statusText: 'Unauthorized',
      });
    await fixture.whenStable();

    expect(byTestId('login-error')?.textContent?.trim()).toBe('Email or password is incorrect');
    expect(submitButton?.disabled).toBe(false);
    expect(byTestId<HTMLInputElement>('login-password')?.value).toBe('');
    expect(navigateByUrl).not.toHaveBeenCalled();
  });

  it('says so when the server cannot be reached', async () => {
    await submit('viewer@demo.gridwatch.dev', PASSWORD);

    backend.expectOne('/api/v1/auth/login').error(new ProgressEvent('error'), { status: 0 });
    await fixture.whenStable();

    expect(byTestId('login-error')?.textContent).toContain('cannot be reached');
  });

  it('does not call the API while the form is incomplete', async () => {
    await submit('not-an-email', '');

    backend.expectNone('/api/v1/auth/login');
    expect(byTestId('login-email')?.getAttribute('aria-invalid')).toBe('true');
  });

  it('stores the tokens, loads the user and opens the page that asked for sign-in', async () => {
    queryParams = { returnUrl: '/overview?tab=meters' };
    await submit('Viewer@demo.gridwatch.dev', PASSWORD);

    const login = backend.expectOne('/api/v1/auth/login');
    expect(login.request.body).toEqual({
      email: 'Viewer@demo.gridwatch.dev',
      password: PASSWORD,
    });
    login.flush(aTokenPair('access-1', 'refresh-1'));
    const me = backend.expectOne('/api/v1/auth/me');
    expect(me.request.headers.get('Authorization')).toBe('Bearer access-1');
    me.flush(aUser());
    await fixture.whenStable();

    expect(TestBed.inject(TokenStorage).read()).toEqual({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
    });
    expect(TestBed.inject(AuthService).user()?.organizationName).toBe('GridWatch Demo');
    expect(navigateByUrl).toHaveBeenCalledWith('/overview?tab=meters');
  });

  it('never follows a return address to another site', async () => {
    queryParams = { returnUrl: '//evil.example/phish' };
    await submit('viewer@demo.gridwatch.dev', PASSWORD);

    backend.expectOne('/api/v1/auth/login').flush(aTokenPair('access-1', 'refresh-1'));
    backend.expectOne('/api/v1/auth/me').flush(aUser());
    await fixture.whenStable();

    expect(navigateByUrl).toHaveBeenCalledWith('/overview');
  });
});
