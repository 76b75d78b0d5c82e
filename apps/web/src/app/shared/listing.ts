import type { Page } from '@gridwatch/contracts';
import { catchError, map, Observable, of } from 'rxjs';
import { apiErrorMessage } from './api-error';

/**
 * One list a page asked for: still loading, answered, or failed. A failure is never shown as an
 * empty list: the user is told the list could not be loaded, and why.
 */
export type Listing<T> =
  | { state: 'loading' }
  | { state: 'ready'; items: T[]; total: number; nextCursor?: string }
  | { state: 'failed'; message: string };

/** A page request as a Listing that never errors: a failure becomes `failed` with the API's message. */
export function listing<T>(source: Observable<Page<T>>): Observable<Listing<T>> {
  return source.pipe(
    map((page): Listing<T> => ({
      state: 'ready',
      items: page.items,
      total: page.total,
      nextCursor: page.nextCursor,
    })),
    catchError((error: unknown) =>
      of<Listing<T>>({ state: 'failed', message: apiErrorMessage(error) }),
    ),
  );
}
