import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import {
  MatAutocompleteModule,
  type MatAutocompleteSelectedEvent,
} from '@angular/material/autocomplete';
import { Router } from '@angular/router';
import { debounceTime, distinctUntilChanged, map, of, switchMap } from 'rxjs';
import { GlobalSearchService, type SearchGroup, type SearchHit } from './global-search.service';

const MIN_LENGTH = 2;

/** The search box of the top bar: type a name, code or serial, pick a site, meter or gateway. */
@Component({
  selector: 'app-global-search',
  imports: [ReactiveFormsModule, MatAutocompleteModule],
  template: `
    <label class="visually-hidden" for="global-search">Search sites, meters and gateways</label>
    <input
      id="global-search"
      class="search-input"
      type="search"
      placeholder="Search sites, meters, gateways"
      autocomplete="off"
      [formControl]="text"
      [matAutocomplete]="auto"
      data-testid="global-search"
    />
    <mat-autocomplete
      #auto="matAutocomplete"
      (optionSelected)="open($event)"
      [displayWith]="display"
    >
      @for (group of groups(); track group.kind) {
        <mat-optgroup [label]="group.title">
          @if (group.error) {
            <mat-option disabled class="search-error">{{ group.error }}</mat-option>
          }
          @for (hit of group.hits; track hit.id) {
            <mat-option [value]="hit" data-testid="search-hit">
              <span class="hit-label">{{ hit.label }}</span>
              <span class="hit-detail">{{ hit.detail }}</span>
            </mat-option>
          }
        </mat-optgroup>
      }
      @if (empty()) {
        <mat-option disabled>Nothing matches “{{ text.value }}”</mat-option>
      }
    </mat-autocomplete>
  `,
  styles: `
    :host {
      display: block;
      flex: 1 1 240px;
      max-width: 420px;
      min-width: 0;
    }
    .search-input {
      width: 100%;
      min-height: 36px;
      padding: 0 var(--space-3);
      border-radius: var(--radius-md);
      border: 1px solid rgb(255 255 255 / 25%);
      background: rgb(255 255 255 / 10%);
      color: var(--color-topbar-text);
      font: inherit;
    }
    .search-input::placeholder {
      color: var(--color-topbar-muted);
    }
    .hit-detail {
      margin-left: var(--space-2);
      font-size: 13px;
      color: var(--color-text-muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class GlobalSearchComponent {
  private readonly search = inject(GlobalSearchService);
  private readonly router = inject(Router);

  protected readonly text = new FormControl<string | SearchHit>('', { nonNullable: true });
  protected readonly groups = signal<SearchGroup[]>([]);
  protected readonly empty = signal(false);

  constructor() {
    this.text.valueChanges
      .pipe(
        map((value) => (typeof value === 'string' ? value.trim() : '')),
        debounceTime(250),
        distinctUntilChanged(),
        switchMap((value) => (value.length < MIN_LENGTH ? of([]) : this.search.search(value))),
        takeUntilDestroyed(),
      )
      .subscribe((groups) => {
        const shown = groups.filter((group) => group.hits.length > 0 || group.error);
        this.groups.set(shown);
        this.empty.set(groups.length > 0 && shown.length === 0);
      });
  }

  protected display(value: string | SearchHit | null): string {
    return typeof value === 'string' ? value : (value?.label ?? '');
  }

  protected open(event: MatAutocompleteSelectedEvent): void {
    const hit = event.option.value as SearchHit;
    this.text.setValue('');
    this.groups.set([]);
    void this.router.navigate(hit.link);
  }
}
