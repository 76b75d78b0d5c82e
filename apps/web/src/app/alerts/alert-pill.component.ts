import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { AlertSeverity, AlertStatus } from '@gridwatch/contracts';

const TONES: Record<AlertSeverity | AlertStatus, string> = {
  critical: 'bad',
  error: 'bad',
  warning: 'warn',
  info: 'neutral',
  active: 'bad',
  acknowledged: 'warn',
  resolved: 'good',
};

/** An alert's severity or status as a pill with its word, never colour alone. */
@Component({
  selector: 'app-alert-pill',
  template: `<span [class]="'pill pill-' + tone()" data-testid="alert-pill">{{ value() }}</span>`,
  styles: `
    .pill {
      display: inline-block;
      padding: 0 8px;
      border-radius: 999px;
      font-size: 12px;
      font-weight: 600;
      text-transform: capitalize;
      background: var(--color-neutral-bg);
      color: var(--color-neutral-text);
    }
    .pill-good {
      background: var(--color-success-bg);
      color: var(--color-success-text);
    }
    .pill-bad {
      background: var(--color-danger-bg);
      color: var(--color-danger-text);
    }
    .pill-warn {
      background: var(--color-warning-bg);
      color: var(--color-warning-text);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AlertPillComponent {
  readonly value = input.required<AlertSeverity | AlertStatus>();
  protected readonly tone = computed(() => TONES[this.value()] ?? 'neutral');
}
