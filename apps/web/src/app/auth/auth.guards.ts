import { HttpErrorResponse, HttpStatusCode } from '@angular/common/http';
import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import type { Scope } from '@gridwatch/contracts';
import { catchError, map, of } from 'rxjs';
import { AuthService } from './auth.service';

/** Authenticated pages: needs a session, and loads the user (e.g. after a reload) before entry. */
export const authGuard: CanActivateFn = (_route, state) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  const toLogin = router.createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
  if (!auth.hasSession()) return toLogin;
  if (auth.user()) return true;
  return auth.loadUser().pipe(
    map(() => true),
    catchError((error: unknown) => {
      if (isRefused(error)) auth.endSession();
      return of(toLogin);
    }),
  );
};

/** The sign-in page: someone already signed in goes straight to the overview. */
export const guestGuard: CanActivateFn = () => {
  const auth = inject(AuthService);
  const router = inject(Router);
  if (!auth.hasSession()) return true;
  const toOverview = router.createUrlTree(['/overview']);
  if (auth.user()) return toOverview;
  return auth.loadUser().pipe(
    map(() => toOverview),
    catchError((error: unknown) => {
      if (isRefused(error)) auth.endSession();
      return of(true);
    }),
  );
};

/**
 * Whether the API refused the session (401: the interceptor could not renew it). A request that
 * failed otherwise (aborted by a reload, network down, 5xx) says nothing about the session, which
 * is kept: ending it then would sign the user out of every later page load too.
 */
function isRefused(error: unknown): boolean {
  return error instanceof HttpErrorResponse && error.status === HttpStatusCode.Unauthorized;
}

/**
 * Pages behind a scope (the same constant the API checks): a user without it who types the URL
 * lands on the "not allowed" page, which names no data of the page refused.
 */
export function scopeGuard(scope: Scope): CanActivateFn {
  return () => {
    const auth = inject(AuthService);
    return auth.can(scope) || inject(Router).createUrlTree(['/forbidden']);
  };
}

/** Only same-origin paths, so a crafted link cannot send a fresh sign-in elsewhere. */
export function safeReturnUrl(candidate: string | null | undefined): string {
  if (!candidate || !candidate.startsWith('/') || candidate.startsWith('//')) return '/overview';
  if (candidate.startsWith('/login')) return '/overview';
  return candidate;
}
