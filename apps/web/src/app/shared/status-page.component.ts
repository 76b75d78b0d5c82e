import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { map } from 'rxjs';

/** What a status page says, from its route's data. */
export interface StatusPageData {
  kind: 'not-found' | 'forbidden' | 'coming-soon';
  title: string;
}

const TEXT: Record<StatusPageData['kind'], string> = {
  'not-found': 'There is no page at this address. It may have moved, or the link is mistyped.',
  forbidden:
    'Your role does not allow this page. Ask an owner of your organization if you need it.',
  'coming-soon':
    'This area is being built: its API is not available yet. Nothing here is shown until it is real.',
};

/** Not found, not allowed, and areas whose API does not exist yet: one honest page each. */
@Component({
  selector: 'app-status-page',
  imports: [RouterLink],
  template: `
    <section class="status card" [attr.data-testid]="'page-' + data().kind">
      <h1>{{ data().title }}</h1>
      <p>{{ text() }}</p>
      <a routerLink="/overview" class="btn btn-primary">Go to the dashboard</a>
    </section>
  `,
  styles: `
    .status {
      max-width: 560px;
      margin: var(--space-6) auto;
      padding: var(--space-5);
      text-align: center;
    }
    h1 {
      font-size: 22px;
      margin-bottom: var(--space-3);
    }
    p {
      color: var(--color-text-muted);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StatusPageComponent {
  private readonly route = inject(ActivatedRoute);
  protected readonly data = toSignal(this.route.data.pipe(map((data) => data as StatusPageData)), {
    initialValue: { kind: 'not-found', title: 'Page not found' } as StatusPageData,
  });
  protected readonly text = computed(() => TEXT[this.data().kind]);
}
