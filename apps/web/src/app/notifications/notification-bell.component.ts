import { ChangeDetectionStrategy, Component, inject, OnInit } from '@angular/core';
import { MatMenuModule } from '@angular/material/menu';
import { Router } from '@angular/router';
import type { NotificationView } from '@gridwatch/contracts';
import { relativeTime } from '../shared/labels';
import { NotificationCenter } from './notification-center.service';

/** The top bar's bell: the unread count, the latest notifications, mark read. */
@Component({
  selector: 'app-notification-bell',
  imports: [MatMenuModule],
  template: `
    <button
      type="button"
      class="icon-button bell"
      [matMenuTriggerFor]="menu"
      [attr.aria-label]="label()"
      data-testid="notification-bell"
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" fill="currentColor">
        <path
          d="M12 22a2 2 0 0 0 2-2h-4a2 2 0 0 0 2 2zm6-6V11c0-3.07-1.64-5.64-4.5-6.32V4a1.5 1.5 0 0 0-3 0v.68C7.63 5.36 6 7.92 6 11v5l-2 2v1h16v-1l-2-2z"
        />
      </svg>
      @if (center.unread() > 0) {
        <span class="badge" data-testid="unread-count">{{ badge() }}</span>
      }
    </button>
    <mat-menu #menu="matMenu" xPosition="before" class="notification-menu">
      <div class="menu-head">
        <strong>Notifications</strong>
        <button
          type="button"
          class="link-button"
          [disabled]="center.unread() === 0"
          (click)="center.markAllRead()"
          data-testid="read-all"
        >
          Mark all read
        </button>
      </div>
      @if (center.error(); as error) {
        <p class="menu-note" role="alert">{{ error }}</p>
      }
      @for (item of center.recent(); track item.id) {
        <button
          mat-menu-item
          type="button"
          [class.unread]="!item.read"
          (click)="open(item)"
          data-testid="notification-item"
        >
          <span class="title">{{ item.title }}</span>
          <span class="meta">{{ item.severity }} · {{ when(item) }}</span>
        </button>
      } @empty {
        <p class="menu-note">No notifications.</p>
      }
    </mat-menu>
  `,
  styles: `
    .bell {
      position: relative;
      display: inline-flex;
      align-items: center;
      justify-content: center;
      min-height: 36px;
      padding: 0 var(--space-3, 12px);
      border: 1px solid rgb(255 255 255 / 25%);
      border-radius: var(--radius-md, 8px);
      background: transparent;
      color: var(--color-topbar-text);
      cursor: pointer;
    }
    .badge {
      position: absolute;
      top: -4px;
      right: -6px;
      min-width: 1.1rem;
      padding: 0 0.25rem;
      border-radius: 999px;
      background: var(--color-danger-text, #b3261e);
      color: #fff;
      font-size: 0.7rem;
      line-height: 1.1rem;
      text-align: center;
    }
    .menu-head {
      display: flex;
      justify-content: space-between;
      align-items: center;
      gap: 1rem;
      padding: 0.5rem 1rem;
    }
    .link-button {
      background: none;
      border: 0;
      color: inherit;
      text-decoration: underline;
      cursor: pointer;
    }
    .menu-note {
      padding: 0.5rem 1rem;
      margin: 0;
    }
    .title {
      display: block;
    }
    .meta {
      display: block;
      font-size: 0.75rem;
      opacity: 0.75;
    }
    .unread .title {
      font-weight: 600;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotificationBellComponent implements OnInit {
  protected readonly center = inject(NotificationCenter);
  private readonly router = inject(Router);

  ngOnInit(): void {
    this.center.start();
  }

  protected badge(): string {
    return unreadBadge(this.center.unread());
  }

  protected label(): string {
    const count = this.center.unread();
    return count === 0 ? 'Notifications' : `Notifications, ${count} unread`;
  }

  protected when(item: NotificationView): string {
    return relativeTime(item.createdAt);
  }

  protected open(item: NotificationView): void {
    this.center.markRead(item);
    if (item.alertId) void this.router.navigate(['/alerts', item.alertId]);
  }
}

/** The badge's text: the count, capped so it fits. */
export function unreadBadge(count: number): string {
  return count > 99 ? '99+' : String(count);
}
