import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { Listing } from './listing';

/**
 * Around a list: a progress bar while it loads, the API's message when it failed (never an empty
 * table for a failure), "no <noun>" when it is empty; the list itself otherwise.
 */
@Component({
  selector: 'app-list-state',
  imports: [MatProgressBarModule],
  template: `
    @switch (listing().state) {
      @case ('loading') {
        <mat-progress-bar mode="indeterminate" aria-label="Loading {{ noun() }}" />
      }
      @case ('failed') {
        <div class="alert alert-error" role="alert" data-testid="list-error">
          The {{ noun() }} could not be loaded: {{ failure() }}
        </div>
      }
    }
    @if (empty()) {
      <p class="card empty" data-testid="list-empty">No {{ noun() }} match.</p>
    } @else if (listing().state !== 'failed') {
      <ng-content />
    }
  `,
  styles: `
    .empty {
      padding: var(--space-4);
      color: var(--color-text-muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ListStateComponent {
  readonly listing = input.required<Listing<unknown>>();
  readonly noun = input.required<string>();

  protected failure(): string {
    const listing = this.listing();
    return listing.state === 'failed' ? listing.message : '';
  }

  protected empty(): boolean {
    const listing = this.listing();
    return listing.state === 'ready' && listing.total === 0;
  }
}
