import { Directive, input } from '@angular/core';

/** Stands in for ngx-echarts (no canvas in jsdom): keeps the options it was given. */
// The selector must be ngx-echarts' own for a page's template to bind to the stand-in.
// eslint-disable-next-line @angular-eslint/directive-selector
@Directive({ selector: '[echarts]', exportAs: 'fakeEcharts' })
export class FakeEchartsDirective {
  readonly options = input<unknown>();
  readonly loading = input(false);
}
