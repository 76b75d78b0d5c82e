import { DOCUMENT } from '@angular/common';
import { effect, inject, Injectable, signal } from '@angular/core';

export type ThemeMode = 'light' | 'dark';

const STORAGE_KEY = 'gridwatch.theme';

/** Light or dark: follows the system until the user chooses, then remembers the choice. */
@Injectable({ providedIn: 'root' })
export class ThemeService {
  private readonly document = inject(DOCUMENT);
  private readonly current = signal<ThemeMode>(this.initial());

  readonly mode = this.current.asReadonly();

  constructor() {
    effect(() => {
      const dark = this.current() === 'dark';
      this.document.documentElement.classList.toggle('theme-dark', dark);
    });
  }

  toggle(): void {
    const next: ThemeMode = this.current() === 'dark' ? 'light' : 'dark';
    this.current.set(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Storage refused (private mode): the choice lasts for this page only.
    }
  }

  private initial(): ThemeMode {
    try {
      const stored = localStorage.getItem(STORAGE_KEY);
      if (stored === 'light' || stored === 'dark') return stored;
    } catch {
      // fall through to the system preference
    }
    const view = this.document.defaultView;
    return view?.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
}
