import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { Loaded } from './detail-load';

/**
 * Above what a request answers: "Loading the <noun>…" while it runs, the API's message when it
 * failed (never an empty panel for a failure); nothing once it answered.
 */
@Component({
  selector: 'app-load-state',
  template: `
    @switch (loaded().state) {
      @case ('loading') {
        <p role="status" class="muted">Loading the {{ noun() }}…</p>
      }
      @case ('failed') {
        <div class="alert alert-error" role="alert" data-testid="load-error">
          The {{ noun() }} could not be loaded: {{ message() }}
        </div>
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoadStateComponent {
  readonly loaded = input.required<Loaded<unknown>>();
  readonly noun = input.required<string>();
  protected readonly message = computed(() => {
    const loaded = this.loaded();
    return loaded.state === 'failed' ? loaded.message : '';
  });
}
