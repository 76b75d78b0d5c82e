import { ChangeDetectionStrategy, Component, input } from '@angular/core';

export type PillTone = 'good' | 'bad' | 'warn' | 'neutral';

/**
 * A short status word on a tinted pill (the one pill style of the app). The word is always
 * there: colour is never the only cue.
 */
@Component({
  selector: 'app-pill',
  template: `<span [class]="'pill pill-' + tone()"><ng-content /></span>`,
  styles: `
    .pill {
      display: inline-block;
      padding: 0 8px;
      border-radius: 999px;
      font-size: 12px;
      font-weight: 600;
      white-space: nowrap;
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
export class PillComponent {
  readonly tone = input<PillTone>('neutral');
}
