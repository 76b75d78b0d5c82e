import { provideEchartsCore } from 'ngx-echarts';

/**
 * ECharts for the pages with charts (meters, energy, dashboard), loaded with their routes (not with
 * the app): only the line and bar charts and the components they use, on the canvas renderer.
 */
export function provideCharts() {
  return provideEchartsCore({
    echarts: () =>
      Promise.all([
        import('echarts/core'),
        import('echarts/charts'),
        import('echarts/components'),
        import('echarts/renderers'),
      ]).then(([core, charts, components, renderers]) => {
        core.use([
          charts.LineChart,
          charts.BarChart,
          components.GridComponent,
          components.TooltipComponent,
          components.LegendComponent,
          components.DataZoomComponent,
          renderers.CanvasRenderer,
        ]);
        return core;
      }),
  });
}
