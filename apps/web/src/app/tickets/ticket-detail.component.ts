import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import {
  RealtimeEvent,
  Scope,
  TICKET_MESSAGE_MAX_LENGTH,
  type TicketAttachmentView,
  type TicketMessageView,
  type TicketStatus,
  type TicketView,
} from '@gridwatch/contracts';
import { allowedTicketTransitions } from '@gridwatch/domain';
import type { Subscription } from 'rxjs';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatSelectModule } from '@angular/material/select';
import { catchError, map, of } from 'rxjs';
import { UsersApiService } from '../admin/users-api.service';
import { AuthService } from '../auth/auth.service';
import { RealtimeSession } from '../realtime/realtime-session.service';
import { apiErrorMessage, downloadErrorMessage } from '../shared/api-error';
import { saveFile } from '../shared/save-file';
import { loadFromRoute, type Loaded } from '../shared/detail-load';
import { IfScopeDirective } from '../shared/if-scope.directive';
import { PillComponent } from '../shared/pill.component';
import { assigneeLabel, fileSize, slaBadge, withMessage } from './ticket-rules';
import { TicketSnapshotsComponent } from './ticket-snapshots.component';
import { TicketsApiService } from './tickets-api.service';

/** One ticket: its status and SLA, the conversation (live), post a message, change the status. */
@Component({
  selector: 'app-ticket-detail',
  imports: [
    RouterLink,
    DatePipe,
    ReactiveFormsModule,
    MatFormFieldModule,
    MatInputModule,
    IfScopeDirective,
    PillComponent,
    MatSelectModule,
    TicketSnapshotsComponent,
  ],
  template: `
    <p><a routerLink="/tickets">← All tickets</a></p>
    @switch (loaded().state) {
      @case ('loading') {
        <p role="status">Loading the ticket…</p>
      }
      @case ('failed') {
        <div class="alert alert-error" role="alert" data-testid="detail-error">{{ failure() }}</div>
      }
    }
    @if (ticket(); as ticket) {
      <div class="page-header">
        <div>
          <h1 data-testid="ticket-title">{{ ticket.number }} · {{ ticket.subject }}</h1>
          <p class="page-subtitle">{{ ticket.description }}</p>
        </div>
        <div class="page-actions">
          <span data-testid="ticket-status">{{ ticket.status }}</span>
          <app-pill [tone]="sla(ticket).tone" data-testid="ticket-sla">{{
            sla(ticket).label
          }}</app-pill>
          <ng-container *appIfScope="Scope.TicketsWrite">
            @for (next of moves(); track next) {
              <button
                type="button"
                class="btn btn-secondary"
                [disabled]="busy()"
                (click)="move(ticket, next)"
                [attr.data-testid]="'ticket-move-' + next"
              >
                Mark {{ statusLabel(next) }}
              </button>
            }
          </ng-container>
        </div>
      </div>
      <section class="card section">
        <dl class="details-grid">
          <div>
            <dt>Priority</dt>
            <dd>{{ ticket.priority }}</dd>
          </div>
          <div>
            <dt>First response due</dt>
            <dd>{{ ticket.firstResponseDueAt | date: 'medium' }}</dd>
          </div>
          <div>
            <dt>Resolution due</dt>
            <dd>{{ ticket.resolutionDueAt | date: 'medium' }}</dd>
          </div>
          <div>
            <dt>Assigned to</dt>
            <dd data-testid="ticket-assignee">{{ assignee(ticket) }}</dd>
          </div>
          @if (ticket.meterId) {
            <div>
              <dt>Meter</dt>
              <dd><a [routerLink]="['/meters', ticket.meterId]">Open the meter</a></dd>
            </div>
          }
        </dl>
        <div class="assign" *appIfScope="Scope.TicketsWrite">
          @if (staff().length > 0) {
            <mat-form-field subscriptSizing="dynamic">
              <mat-label>Assignee</mat-label>
              <mat-select
                [value]="ticket.assigneeId ?? ''"
                (selectionChange)="assign(ticket, $event.value || null)"
                [disabled]="busy()"
                data-testid="ticket-assign-select"
              >
                <mat-option value="">Unassigned</mat-option>
                @for (user of staff(); track user.id) {
                  <mat-option [value]="user.id">{{ user.name }} ({{ user.role }})</mat-option>
                }
              </mat-select>
            </mat-form-field>
          }
          @if (ticket.assigneeId !== myId()) {
            <button
              type="button"
              class="btn btn-secondary btn-small"
              [disabled]="busy()"
              (click)="assign(ticket, myId())"
              data-testid="ticket-assign-me"
            >
              Assign to me
            </button>
          }
          @if (ticket.assigneeId) {
            <button
              type="button"
              class="btn btn-secondary btn-small"
              [disabled]="busy()"
              (click)="assign(ticket, null)"
              data-testid="ticket-unassign"
            >
              Unassign
            </button>
          }
        </div>
      </section>
      <section class="card section" aria-labelledby="messages-title">
        <h2 id="messages-title">Conversation</h2>
        @if (messagesError(); as error) {
          <div class="alert alert-error" role="alert">{{ error }}</div>
        }
        <ol class="messages" aria-live="polite" data-testid="ticket-messages">
          @for (message of messages(); track message.id) {
            <li data-testid="ticket-message" [class.internal]="message.internal">
              <time [attr.datetime]="message.createdAt">{{
                message.createdAt | date: 'medium'
              }}</time>
              @if (message.body) {
                <p>{{ message.body }}</p>
              }
              @for (attachment of message.attachments; track attachment.id) {
                <button
                  type="button"
                  class="btn btn-secondary btn-small attachment"
                  (click)="download(attachment)"
                  [attr.aria-label]="'Download ' + attachment.fileName"
                  data-testid="ticket-attachment"
                >
                  📎 {{ attachment.fileName }}
                  <span class="muted">{{ size(attachment.sizeBytes) }}</span>
                </button>
              }
            </li>
          } @empty {
            <li class="muted">No messages yet.</li>
          }
        </ol>
        <form *appIfScope="Scope.TicketsWrite" (submit)="send($event, ticket)" class="reply">
          <mat-form-field class="body">
            <mat-label>Message</mat-label>
            <textarea matInput rows="3" [formControl]="draft" data-testid="ticket-draft"></textarea>
          </mat-form-field>
          <div class="reply-actions">
            <label class="btn btn-secondary file-button">
              {{ file() ? 'Change file' : 'Attach a file' }}
              <input
                type="file"
                class="visually-hidden"
                accept="image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,text/csv,.csv,.txt"
                (change)="chooseFile($event)"
                data-testid="ticket-file"
              />
            </label>
            @if (file(); as chosen) {
              <span class="muted" data-testid="ticket-file-name"
                >{{ chosen.name }} ({{ size(chosen.size) }})
                <button type="button" class="link" (click)="file.set(null)">remove</button></span
              >
            }
            <button
              type="submit"
              class="btn btn-primary"
              [disabled]="busy() || (draft.invalid && !file())"
              data-testid="ticket-send"
            >
              Send
            </button>
          </div>
        </form>
      </section>
      <app-ticket-snapshots [ticket]="ticket" />
    }
  `,
  styles: `
    .messages {
      list-style: none;
      padding: 0;
      margin: 0 0 var(--space-3, 12px);
    }
    .messages li {
      padding: 8px 0;
      border-bottom: 1px solid var(--color-border, rgba(0, 0, 0, 0.12));
    }
    .messages p {
      margin: 4px 0 0;
      white-space: pre-wrap;
    }
    .messages time,
    .muted {
      font-size: 12px;
      color: var(--color-text-muted);
    }
    .internal {
      background: var(--color-warning-bg);
    }
    .reply {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-start;
      gap: 8px;
    }
    .body {
      flex: 1 1 16rem;
    }
    .reply-actions {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
    }
    .file-button:focus-within {
      outline: 2px solid var(--color-focus);
    }
    .link {
      border: 0;
      background: none;
      padding: 0;
      color: var(--color-primary);
      text-decoration: underline;
      cursor: pointer;
      font: inherit;
    }
    .attachment {
      margin: 4px 8px 0 0;
    }
    .assign {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      margin-top: var(--space-3);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TicketDetailComponent {
  private readonly api = inject(TicketsApiService);
  private readonly realtime = inject(RealtimeSession);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly Scope = Scope;
  protected readonly sla = slaBadge;
  protected readonly statusLabel = (status: TicketStatus) => status.replace('_', ' ');
  private readonly fetched = loadFromRoute((id) => this.api.get(id));
  /** The ticket after a status change, until the route loads another. */
  private readonly updated = signal<TicketView | null>(null);
  protected readonly loaded = computed<Loaded<TicketView>>(() => {
    const fetched = this.fetched();
    const updated = this.updated();
    if (fetched.state === 'ready' && updated?.id === fetched.value.id) {
      return { state: 'ready', value: updated };
    }
    return fetched;
  });
  protected readonly ticket = computed(() => {
    const loaded = this.loaded();
    return loaded.state === 'ready' ? loaded.value : null;
  });
  protected readonly failure = computed(() => {
    const loaded = this.loaded();
    return loaded.state === 'failed' ? loaded.message : '';
  });
  protected readonly moves = computed(() => {
    const ticket = this.ticket();
    return ticket ? allowedTicketTransitions(ticket.status) : [];
  });
  private readonly auth = inject(AuthService);
  protected readonly myId = computed(() => this.auth.user()?.id ?? null);
  /** Who may be assigned (owners, operators, support), for owners who can list users. */
  protected readonly staff = toSignal(
    this.auth.can(Scope.UsersManage)
      ? inject(UsersApiService)
          .list({ limit: 200 })
          .pipe(
            map((page) => page.items.filter((user) => !user.disabled && user.role !== 'viewer')),
            catchError(() => of([])),
          )
      : of([]),
    { initialValue: [] },
  );
  private readonly names = computed(
    () => new Map(this.staff().map((user) => [user.id, user.name])),
  );
  protected readonly size = fileSize;
  protected readonly file = signal<File | null>(null);
  protected readonly messages = signal<TicketMessageView[]>([]);
  protected readonly messagesError = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly draft = new FormControl('', {
    nonNullable: true,
    validators: [Validators.required, Validators.maxLength(TICKET_MESSAGE_MAX_LENGTH)],
  });
  private live: Subscription | null = null;

  constructor() {
    const ticketId = computed(() => this.ticket()?.id ?? null);
    effect(() => {
      const id = ticketId();
      untracked(() => this.follow(id));
    });
    inject(DestroyRef).onDestroy(() => this.live?.unsubscribe());
  }

  protected assignee(ticket: TicketView): string {
    return assigneeLabel(ticket.assigneeId, this.myId(), this.names());
  }

  protected assign(ticket: TicketView, assigneeId: string | null): void {
    this.busy.set(true);
    this.api.assign(ticket.id, assigneeId).subscribe({
      next: (changed) => {
        this.busy.set(false);
        this.updated.set(changed);
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.snackBar.open(`The ticket was not assigned: ${apiErrorMessage(error)}`, 'OK');
      },
    });
  }

  protected chooseFile(event: Event): void {
    const input = event.target as HTMLInputElement;
    this.file.set(input.files?.[0] ?? null);
    input.value = '';
  }

  protected download(attachment: TicketAttachmentView): void {
    this.api.attachment(attachment.id).subscribe({
      next: (blob) => saveFile(blob, attachment.fileName),
      error: (error: unknown) =>
        void downloadErrorMessage(error).then((message) =>
          this.snackBar.open(`The file could not be downloaded: ${message}`, 'OK'),
        ),
    });
  }

  protected send(event: Event, ticket: TicketView): void {
    event.preventDefault();
    const body = this.draft.value.trim();
    const file = this.file();
    if (body === '' && !file) return;
    this.busy.set(true);
    const request = file ? this.api.upload(ticket.id, file, body) : this.api.post(ticket.id, body);
    request.subscribe({
      next: (message) => {
        this.busy.set(false);
        this.draft.reset();
        this.file.set(null);
        this.messages.update((list) => withMessage(list, message));
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.snackBar.open(`The message was not sent: ${apiErrorMessage(error)}`, 'OK');
      },
    });
  }

  protected move(ticket: TicketView, status: TicketStatus): void {
    this.busy.set(true);
    this.api.changeStatus(ticket.id, status).subscribe({
      next: (changed) => {
        this.busy.set(false);
        this.updated.set(changed);
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.snackBar.open(`The status did not change: ${apiErrorMessage(error)}`, 'OK');
      },
    });
  }

  /** Loads the conversation of the ticket shown and takes its new messages live. */
  private follow(id: string | null): void {
    this.live?.unsubscribe();
    this.live = null;
    this.messages.set([]);
    if (id === null) return;
    this.live = this.realtime
      .ticketEvents(id, RealtimeEvent.TicketMessage)
      .subscribe((event) => this.messages.update((list) => withMessage(list, event.message)));
    this.api.messages(id).subscribe({
      next: (page) => {
        this.messagesError.set(null);
        this.messages.update((list) =>
          page.items.reduce((all, message) => withMessage(all, message), list),
        );
      },
      error: (error: unknown) => this.messagesError.set(apiErrorMessage(error)),
    });
  }
}
