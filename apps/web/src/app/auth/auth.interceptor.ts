import {
  HttpErrorResponse,
  HttpInterceptorFn,
  HttpRequest,
  HttpStatusCode,
} from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { ErrorCode } from '@gridwatch/contracts';
import { catchError, Observable, of, switchMap, throwError } from 'rxjs';
import { apiError } from '../shared/api-error';
import { AuthService, SKIP_AUTH } from './auth.service';

/**
 * Adds the bearer token to API calls. When the API answers 401 `invalid_token` (usually an
 * expired access token) it refreshes once, retries the request once with the new token, and sends
 * the user to /login when the session cannot be renewed.
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  if (request.context.get(SKIP_AUTH)) return next(request);
  const auth = inject(AuthService);
  const router = inject(Router);
  const sentWith = auth.accessToken();

  return next(withBearer(request, sentWith)).pipe(
    catchError((error: unknown) => {
      if (!isInvalidToken(error)) return throwError(() => error);
      return renewedToken(auth, sentWith).pipe(
        catchError(() => {
          auth.endSession();
          void router.navigate(['/login'], { queryParams: { returnUrl: router.url } });
          return throwError(() => error);
        }),
        switchMap((token) => next(withBearer(request, token))),
      );
    }),
  );
};

function withBearer<T>(request: HttpRequest<T>, token: string | null): HttpRequest<T> {
  if (!token) return request;
  return request.clone({ setHeaders: { Authorization: `Bearer ${token}` } });
}

function isInvalidToken(error: unknown): boolean {
  return (
    error instanceof HttpErrorResponse &&
    error.status === HttpStatusCode.Unauthorized &&
    apiError(error)?.error === ErrorCode.InvalidToken
  );
}

/** A request that failed with a token another request has since replaced just uses the new one. */
function renewedToken(auth: AuthService, sentWith: string | null): Observable<string> {
  const current = auth.accessToken();
  if (current && current !== sentWith) return of(current);
  return auth.refreshAccessToken();
}
