import { computed, DestroyRef, inject, signal, type WritableSignal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import type { FormControl } from '@angular/forms';
import type { PageEvent } from '@angular/material/paginator';
import type { Sort } from '@angular/material/sort';
import type { Page, SortOrder } from '@gridwatch/contracts';
import { debounceTime, Observable, switchMap, tap } from 'rxjs';
import { listing, type Listing } from './listing';

/** How long typing must pause before a search goes out. */
const SEARCH_DEBOUNCE_MS = 300;

/** What a list page asks the API for: filters, sort, and which page. */
export interface ListQuery {
  filters: Record<string, string | undefined>;
  sort: string;
  order: SortOrder;
  pageIndex: number;
  pageSize: number;
}

/** Query parameters of one list request (the API's `q`, `status`, `sort`, `order`, `limit`, `cursor`). */
export type ListParams = Record<string, string | number>;

/**
 * The API pages with opaque cursors: page n+1's cursor is learnt from page n's answer. The pages
 * reachable are those already visited and the one after the last visited, which is what a
 * paginator's previous/next buttons need.
 */
export class PageCursors {
  private cursors: (string | undefined)[] = [undefined];

  /** The cursor of page `index`; null when that page cannot be reached yet. */
  cursorOf(index: number): string | undefined | null {
    if (index === 0) return undefined;
    if (index >= this.cursors.length) return null;
    return this.cursors[index] ?? null;
  }

  learn(index: number, nextCursor: string | undefined): void {
    this.cursors = this.cursors.slice(0, index + 1);
    if (nextCursor) this.cursors[index + 1] = nextCursor;
  }

  reset(): void {
    this.cursors = [undefined];
  }
}

/** The request parameters of a query: empty filters are left out. */
export function listParams(query: ListQuery, cursor: string | undefined): ListParams {
  const params: ListParams = { sort: query.sort, order: query.order, limit: query.pageSize };
  for (const [name, value] of Object.entries(query.filters)) {
    if (value !== undefined && value.trim() !== '') params[name] = value.trim();
  }
  if (cursor) params['cursor'] = cursor;
  return params;
}

/** The first page of a list sorted by name, 25 a page. */
export function byName(filters: ListQuery['filters'] = {}): ListQuery {
  return { filters, sort: 'name', order: 'asc', pageIndex: 0, pageSize: 25 };
}

/**
 * A server-side filtered, sorted and paginated list (injection context). Filter or sort changes go
 * back to the first page; a failed request is a `failed` listing with the API's message.
 */
export class ServerList<T> {
  private readonly cursors = new PageCursors();
  readonly query: WritableSignal<ListQuery>;
  readonly listing = signal<Listing<T>>({ state: 'loading' });
  /** The rows shown: the last answer's while the next page loads, so the table does not jump. */
  readonly items = signal<T[]>([]);
  readonly total = computed(() => {
    const answer = this.listing();
    return answer.state === 'ready' ? answer.total : this.lastTotal;
  });
  private lastTotal = 0;
  private readonly destroyRef = inject(DestroyRef);

  constructor(
    private readonly load: (params: ListParams) => Observable<Page<T>>,
    private readonly initial: ListQuery,
  ) {
    this.query = signal(initial);
    toObservable(this.query)
      .pipe(
        switchMap((query) => {
          const cursor = this.cursors.cursorOf(query.pageIndex);
          const index = cursor === null ? 0 : query.pageIndex;
          this.listing.set({ state: 'loading' });
          return listing(this.load(listParams(query, cursor ?? undefined))).pipe(
            tap((answer) => {
              if (answer.state === 'ready') this.cursors.learn(index, answer.nextCursor);
            }),
          );
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((answer) => {
        if (answer.state === 'ready') {
          this.items.set(answer.items);
          this.lastTotal = answer.total;
        }
        this.listing.set(answer);
      });
  }

  /** Filters by what is typed in `control`, once typing pauses. */
  followSearch(control: FormControl<string>, filter = 'q'): void {
    control.valueChanges
      .pipe(debounceTime(SEARCH_DEBOUNCE_MS), takeUntilDestroyed(this.destroyRef))
      .subscribe((text) => this.setFilter(filter, text));
  }

  /** A mat-sort header was clicked. */
  sorted(sort: Sort): void {
    this.setSort(sort.active, sort.direction);
  }

  /** The paginator moved or changed its page size. */
  paged(event: PageEvent): void {
    this.setPage(event.pageIndex, event.pageSize);
  }

  setFilter(name: string, value: string | undefined): void {
    this.cursors.reset();
    this.query.update((query) => ({
      ...query,
      filters: { ...query.filters, [name]: value },
      pageIndex: 0,
    }));
  }

  setSort(sort: string, order: SortOrder | ''): void {
    this.cursors.reset();
    this.query.update((query) => ({
      ...query,
      sort: order === '' ? this.initial.sort : sort,
      order: order === '' ? this.initial.order : order,
      pageIndex: 0,
    }));
  }

  setPage(pageIndex: number, pageSize: number): void {
    if (pageSize !== this.query().pageSize) {
      this.cursors.reset();
      pageIndex = 0;
    }
    this.query.update((query) => ({ ...query, pageIndex, pageSize }));
  }

  reload(): void {
    this.query.update((query) => ({ ...query }));
  }
}
