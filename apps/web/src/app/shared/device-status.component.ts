import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { GatewayStatus, MeterStatus } from '@gridwatch/contracts';
import { PillComponent, type PillTone } from './pill.component';

const TONES: Record<string, PillTone> = {
  online: 'good',
  offline: 'bad',
  degraded: 'warn',
  maintenance: 'warn',
};

/** A gateway's (or meter's) status as a pill with its word, never colour alone. */
@Component({
  selector: 'app-device-status',
  imports: [PillComponent],
  template: `<app-pill [tone]="tone()" data-testid="device-status">{{ status() }}</app-pill>`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeviceStatusComponent {
  readonly status = input.required<GatewayStatus | MeterStatus>();
  protected tone(): PillTone {
    return TONES[this.status()] ?? 'neutral';
  }
}
