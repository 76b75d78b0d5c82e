import { DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ActivatedRoute } from '@angular/router';
import { catchError, map, Observable, of, startWith, switchMap } from 'rxjs';
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
        return asLoaded(load(id));
      }),
      takeUntilDestroyed(inject(DestroyRef)),
    )
    .subscribe((state) => loaded.set(state));
  return loaded;
}

/** A request as a Loaded that never errors: a failure becomes `failed` with the API's message. */
export function asLoaded<T>(source: Observable<T>): Observable<Loaded<T>> {
  return source.pipe(
    map((value): Loaded<T> => ({ state: 'ready', value })),
    catchError((error: unknown) =>
      of<Loaded<T>>({ state: 'failed', message: apiErrorMessage(error) }),
    ),
  );
}

/** As `asLoaded`, starting with `loading` (for a request that replaces one already shown). */
export function loading<T>(source: Observable<T>): Observable<Loaded<T>> {
  return asLoaded(source).pipe(startWith<Loaded<T>>({ state: 'loading' }));
}
