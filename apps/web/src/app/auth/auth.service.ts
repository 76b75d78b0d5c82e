import { HttpClient, HttpContext, HttpContextToken } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import type { MeResponse, Scope, TokenPair } from '@gridwatch/contracts';
import {
  catchError,
  finalize,
  map,
  Observable,
  of,
  shareReplay,
  switchMap,
  tap,
  throwError,
} from 'rxjs';
import { apiUrl } from '../shared/api-url';
import { TokenStorage } from './token-storage';

/** Marks requests that must go out without a bearer token and bypass the refresh-and-retry. */
export const SKIP_AUTH = new HttpContextToken<boolean>(() => false);

export interface LoginCredentials {
  email: string;
  password: string;
}

export class NoSessionError extends Error {
  constructor() {
    super('There is no session to refresh');
  }
}

@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly storage = inject(TokenStorage);
  private readonly currentUser = signal<MeResponse | null>(null);
  private refreshInFlight: Observable<string> | null = null;

  /** The signed-in user, or null until `loadUser()` has answered. */
  readonly user = this.currentUser.asReadonly();
  readonly scopes = computed(() => new Set<Scope>(this.currentUser()?.scopes ?? []));

  hasSession(): boolean {
    return this.storage.read() !== null;
  }

  accessToken(): string | null {
    return this.storage.read()?.accessToken ?? null;
  }

  can(scope: Scope): boolean {
    return this.scopes().has(scope);
  }

  login(credentials: LoginCredentials): Observable<MeResponse> {
    return this.http
      .post<TokenPair>(apiUrl('auth/login'), credentials, { context: withoutAuth() })
      .pipe(
        tap((tokens) => this.storage.write(tokens)),
        switchMap(() => this.loadUser()),
      );
  }

  loadUser(): Observable<MeResponse> {
    return this.http
      .get<MeResponse>(apiUrl('auth/me'))
      .pipe(tap((user) => this.currentUser.set(user)));
  }

  /**
   * Rotates the refresh token and answers the new access token. Callers that arrive while a
   * rotation is under way share it: the refresh token is single use, and a second use would
   * revoke the whole session.
   */
  refreshAccessToken(): Observable<string> {
    if (this.refreshInFlight) return this.refreshInFlight;
    const refreshToken = this.storage.read()?.refreshToken;
    if (!refreshToken) return throwError(() => new NoSessionError());
    this.refreshInFlight = this.http
      .post<TokenPair>(apiUrl('auth/refresh'), { refreshToken }, { context: withoutAuth() })
      .pipe(
        tap((tokens) => this.storage.write(tokens)),
        map((tokens) => tokens.accessToken),
        finalize(() => (this.refreshInFlight = null)),
        shareReplay({ bufferSize: 1, refCount: false }),
      );
    return this.refreshInFlight;
  }

  /** Revokes the session on the server (best effort) and forgets it here at once. */
  logout(): Observable<void> {
    const refreshToken = this.storage.read()?.refreshToken;
    this.endSession();
    if (!refreshToken) return of(undefined);
    return this.http
      .post<void>(apiUrl('auth/logout'), { refreshToken }, { context: withoutAuth() })
      .pipe(
        map(() => undefined),
        catchError(() => of(undefined)),
      );
  }

  /** Forgets the tokens and the user locally, e.g. after a refresh was refused. */
  endSession(): void {
    this.storage.clear();
    this.currentUser.set(null);
  }
}

function withoutAuth(): HttpContext {
  return new HttpContext().set(SKIP_AUTH, true);
}
