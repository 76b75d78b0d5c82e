import { DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ActivatedRoute } from '@angular/router';
import { catchError, map, Observable, of, switchMap } from 'rxjs';
import { apiErrorMessage } from './api-error';

/** One object a page shows: loading, loaded, or why it could not be (the API's message). */
export type Loaded<T> =
  { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; message: string };

/** Loads the object the route's `:id` names, again whenever the id changes (injection context). */
export function loadFromRoute<T>(load: (id: string) => Observable<T>) {
  const loaded = signal<Loaded<T>>({ state: 'loading' });
  inject(ActivatedRoute)
    .paramMap.pipe(
      map((params) => params.get('id') ?? ''),
      switchMap((id) => {
        loaded.set({ state: 'loading' });
        return load(id).pipe(
          map((value): Loaded<T> => ({ state: 'ready', value })),
          catchError((error: unknown) =>
            of<Loaded<T>>({ state: 'failed', message: apiErrorMessage(error) }),
          ),
        );
      }),
      takeUntilDestroyed(inject(DestroyRef)),
    )
    .subscribe((state) => loaded.set(state));
  return loaded;
}
