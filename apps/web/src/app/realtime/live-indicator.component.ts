import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { LiveConnection } from './realtime-session.service';

const LABELS: Record<LiveConnection, { text: string; title: string }> = {
  connecting: { text: 'Connecting…', title: 'Connecting for live updates' },
  live: { text: 'Live', title: 'Updates appear as they happen' },
  reconnecting: { text: 'Reconnecting…', title: 'The live connection was lost; reconnecting' },
  polling: {
    text: 'Polling',
    title: 'No live connection: the page refreshes every few seconds until it is back',
  },
};

/** A small pill saying whether the page updates live; the word is always there, not only the colour. */
@Component({
  selector: 'app-live-indicator',
  template: `<span
    class="indicator"
    [class]="'indicator-' + state()"
    [title]="label().title"
    role="status"
    data-testid="live-indicator"
    ><span class="dot" aria-hidden="true"></span>{{ label().text }}</span
  >`,
  styles: `
    .indicator {
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
    .indicator-live {
      background: var(--color-success-bg);
      color: var(--color-success-text);
    }
    .indicator-polling {
      background: var(--color-warning-bg);
      color: var(--color-warning-text);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LiveIndicatorComponent {
  readonly state = input.required<LiveConnection>();
  protected readonly label = computed(() => LABELS[this.state()]);
}
