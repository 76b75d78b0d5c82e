import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatPaginatorModule } from '@angular/material/paginator';
import type { ServerList } from './server-list';

/** The paginator under a server-side list: previous/next through the API's cursors, page size. */
@Component({
  selector: 'app-list-paginator',
  imports: [MatPaginatorModule],
  template: `<mat-paginator
    [length]="list().total()"
    [pageIndex]="list().query().pageIndex"
    [pageSize]="list().query().pageSize"
    [pageSizeOptions]="[10, 25, 50, 100]"
    (page)="list().paged($event)"
    [attr.aria-label]="label()"
  />`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ListPaginatorComponent {
  readonly list = input.required<Pick<ServerList<unknown>, 'total' | 'query' | 'paged'>>();
  readonly label = input.required<string>();
}
