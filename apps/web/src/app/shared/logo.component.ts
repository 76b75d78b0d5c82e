import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/** The GridWatch mark and word, inline SVG so the app loads no external assets. */
@Component({
  selector: 'app-logo',
  template: `
    <span class="logo" [class.logo-inverse]="inverse()">
      <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
        <rect width="32" height="32" rx="8" fill="currentColor" class="logo-tile" />
        <path d="M18 5 9 18h6l-2 9 10-14h-6l1-8Z" fill="#fff" />
      </svg>
      <span class="logo-word">GridWatch</span>
    </span>
  `,
  styles: `
    .logo {
      display: inline-flex;
      align-items: center;
      gap: 10px;
      color: var(--color-primary);
      font-weight: 700;
      font-size: 18px;
      letter-spacing: -0.01em;
    }
    .logo-word {
      color: var(--color-text);
    }
    .logo-inverse .logo-word {
      color: var(--color-topbar-text);
    }
    .logo-inverse {
      color: #16a085;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LogoComponent {
  readonly inverse = input(false);
}
