import { DatePipe, JsonPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { EVENT_TYPES, type EventView } from '@gridwatch/contracts';
import { debounceTime } from 'rxjs';
import { EventsApiService } from '../events/events-api.service';
import { apiErrorMessage } from '../shared/api-error';
import { AdminTabsComponent } from './admin-tabs.component';

const PAGE = 50;

/** The audit trail, newest first, filtered by type, subject and time; "more" pages on. */
@Component({
  selector: 'app-event-log',
  imports: [
    DatePipe,
    JsonPipe,
    ReactiveFormsModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    AdminTabsComponent,
  ],
  template: `
    <div class="page-header"><h1>Admin</h1></div>
    <app-admin-tabs />
    <form class="filters" [formGroup]="filters">
      <mat-form-field>
        <mat-label>Event types</mat-label>
        <mat-select formControlName="type" multiple data-testid="event-type-filter">
          @for (type of types; track type) {
            <mat-option [value]="type">{{ type }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>Subject type</mat-label>
        <input matInput formControlName="subjectType" placeholder="meter, gateway, user…" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>From</mat-label>
        <input matInput type="datetime-local" formControlName="from" />
      </mat-form-field>
      <mat-form-field>
        <mat-label>To</mat-label>
        <input matInput type="datetime-local" formControlName="to" />
      </mat-form-field>
    </form>
    @if (error(); as message) {
      <div class="alert alert-error" role="alert" data-testid="list-error">
        The event log could not be loaded: {{ message }}
      </div>
    }
    <ul class="card events" data-testid="event-log">
      @for (event of events(); track event.id) {
        <li data-testid="event-row">
          <time [attr.datetime]="event.occurredAt">{{ event.occurredAt | date: 'medium' }}</time>
          <span class="type">{{ event.type }}</span>
          <span class="muted"
            >{{ event.actorType }}{{ event.subjectType ? ' → ' + event.subjectType : '' }}</span
          >
          @if (hasData(event)) {
            <code class="mono">{{ event.data | json }}</code>
          }
        </li>
      } @empty {
        @if (!loading() && !error()) {
          <li class="muted">No events match.</li>
        }
      }
    </ul>
    @if (nextCursor()) {
      <button type="button" class="btn btn-secondary" (click)="more()" [disabled]="loading()">
        Older events
      </button>
    }
  `,
  styles: `
    .events {
      list-style: none;
      margin: 0 0 var(--space-3);
      padding: 0;
    }
    .events li {
      display: flex;
      flex-wrap: wrap;
      gap: var(--space-1) var(--space-3);
      padding: var(--space-2) var(--space-3);
      border-bottom: 1px solid var(--color-border);
    }
    .type {
      font-weight: 600;
    }
    code {
      flex-basis: 100%;
      color: var(--color-text-muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EventLogComponent {
  private readonly api = inject(EventsApiService);
  protected readonly types = EVENT_TYPES;
  protected readonly filters = new FormGroup({
    type: new FormControl<string[]>([], { nonNullable: true }),
    subjectType: new FormControl('', { nonNullable: true }),
    from: new FormControl('', { nonNullable: true }),
    to: new FormControl('', { nonNullable: true }),
  });
  protected readonly events = signal<EventView[]>([]);
  protected readonly nextCursor = signal<string | undefined>(undefined);
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);

  constructor() {
    this.filters.valueChanges
      .pipe(debounceTime(300), takeUntilDestroyed())
      .subscribe(() => this.load(undefined));
    this.load(undefined);
  }

  protected hasData(event: EventView): boolean {
    return Object.keys(event.data).length > 0;
  }

  protected more(): void {
    this.load(this.nextCursor());
  }

  private load(cursor: string | undefined): void {
    const { type, subjectType, from, to } = this.filters.getRawValue();
    const params: Record<string, string | number> = { limit: PAGE };
    if (type.length) params['type'] = type.join(',');
    if (subjectType.trim()) params['subjectType'] = subjectType.trim();
    if (from) params['from'] = new Date(from).toISOString();
    if (to) params['to'] = new Date(to).toISOString();
    if (cursor) params['cursor'] = cursor;
    this.loading.set(true);
    this.error.set(null);
    this.api.list(params).subscribe({
      next: (page) => {
        this.loading.set(false);
        this.events.update((shown) => (cursor ? [...shown, ...page.items] : page.items));
        this.nextCursor.set(page.nextCursor);
      },
      error: (error: unknown) => {
        this.loading.set(false);
        this.error.set(apiErrorMessage(error));
      },
    });
  }
}
