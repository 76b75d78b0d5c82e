import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { GatewayStatus, MeterStatus } from '@gridwatch/contracts';

const TONES: Record<string, string> = {
  online: 'good',
  offline: 'bad',
  degraded: 'warn',
  maintenance: 'warn',
};

/** A gateway's (or meter's) status as a pill with its word, never colour alone. */
@Component({
  selector: 'app-device-status',
  template: `<span class="pill" [class]="'pill pill-' + tone()" data-testid="device-status">{{
    status()
  }}</span>`,
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
export class DeviceStatusComponent {
  readonly status = input.required<GatewayStatus | MeterStatus>();
  protected tone(): string {
    return TONES[this.status()] ?? 'neutral';
  }
}
