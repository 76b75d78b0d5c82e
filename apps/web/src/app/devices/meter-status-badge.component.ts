import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { MeterStatus } from '@gridwatch/contracts';
import { meterStatusLabel } from '../shared/labels';

/** A meter's status as a coloured pill; the word is always there, colour is never the only cue. */
@Component({
  selector: 'app-meter-status-badge',
  template: `<span class="badge" [class]="'badge-' + status()" data-testid="meter-status">
    <span class="dot" aria-hidden="true"></span>{{ label() }}
  </span>`,
  styles: `
    .badge {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      padding: 2px 10px;
      border-radius: 999px;
      font-size: 13px;
      font-weight: 600;
      white-space: nowrap;
      background: var(--color-neutral-bg);
      color: var(--color-neutral-text);
    }
    .dot {
      width: 7px;
      height: 7px;
      border-radius: 50%;
      background: currentColor;
    }
    .badge-online {
      background: var(--color-success-bg);
      color: var(--color-success-text);
    }
    .badge-offline {
      background: var(--color-danger-bg);
      color: var(--color-danger-text);
    }
    .badge-maintenance {
      background: var(--color-warning-bg);
      color: var(--color-warning-text);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MeterStatusBadgeComponent {
  readonly status = input.required<MeterStatus>();
  protected readonly label = computed(() => meterStatusLabel(this.status()));
}
