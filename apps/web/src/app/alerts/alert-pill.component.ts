import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { AlertSeverity, AlertStatus } from '@gridwatch/contracts';
import { PillComponent, type PillTone } from '../shared/pill.component';

const TONES: Record<AlertSeverity | AlertStatus, PillTone> = {
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
  imports: [PillComponent],
  template: `<app-pill [tone]="tone()" data-testid="alert-pill">{{ value() }}</app-pill>`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AlertPillComponent {
  readonly value = input.required<AlertSeverity | AlertStatus>();
  protected readonly tone = computed(() => TONES[this.value()] ?? 'neutral');
}
