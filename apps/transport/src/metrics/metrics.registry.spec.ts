import { MetricsRegistry } from './metrics.registry';

describe('MetricsRegistry', () => {
  it('renders counters and gauges in the Prometheus text format with escaped labels', () => {
    const registry = new MetricsRegistry();
    const polls = registry.counter('gw_polls_total', 'Polls by result.', ['gateway', 'result']);
    polls.inc({ gateway: 'GW-1', result: 'ok' });
    polls.inc({ gateway: 'GW-1', result: 'ok' }, 2);
    polls.inc({ gateway: 'a"b\\c\nd', result: 'failed' });
    registry.gauge('gw_breaker_state', 'Breaker.', ['gateway']).set({ gateway: 'GW-1' }, 2);

    const text = registry.render();

    expect(text).toContain(
      '# HELP gw_polls_total Polls by result.\n# TYPE gw_polls_total counter\n',
    );
    expect(text).toContain('gw_polls_total{gateway="GW-1",result="ok"} 3\n');
    expect(text).toContain('gw_polls_total{gateway="a\\"b\\\\c\\nd",result="failed"} 1\n');
    expect(text).toContain('# TYPE gw_breaker_state gauge\ngw_breaker_state{gateway="GW-1"} 2\n');
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('renders histograms as cumulative buckets with sum and count', () => {
    const registry = new MetricsRegistry();
    const duration = registry.histogram('poll_seconds', 'Poll duration.', ['gateway'], [0.1, 1]);
    duration.observe({ gateway: 'GW-1' }, 0.05);
    duration.observe({ gateway: 'GW-1' }, 0.5);
    duration.observe({ gateway: 'GW-1' }, 3);

    const lines = registry.render().split('\n');

    expect(lines).toEqual(
      expect.arrayContaining([
        'poll_seconds_bucket{gateway="GW-1",le="0.1"} 1',
        'poll_seconds_bucket{gateway="GW-1",le="1"} 2',
        'poll_seconds_bucket{gateway="GW-1",le="+Inf"} 3',
        'poll_seconds_sum{gateway="GW-1"} 3.55',
        'poll_seconds_count{gateway="GW-1"} 3',
      ]),
    );
  });

  it('returns the same metric for the same name, and refuses a clash of types or labels', () => {
    const registry = new MetricsRegistry();
    const first = registry.counter('messages_total', 'Messages.', ['topic']);
    expect(registry.counter('messages_total', 'Messages.', ['topic'])).toBe(first);
    expect(() => registry.gauge('messages_total', 'Messages.')).toThrow(/already a counter/);
    expect(() => first.inc({ wrong: 'x' })).toThrow(/takes labels \[topic\]/);
    expect(() => first.inc({ topic: 'x' }, -1)).toThrow(/cannot decrease/);
  });

  it('forgets a removed series', () => {
    const registry = new MetricsRegistry();
    const state = registry.gauge('breaker_state', 'Breaker.', ['gateway']);
    state.set({ gateway: 'GW-1' }, 1);
    state.remove({ gateway: 'GW-1' });
    expect(registry.render()).not.toContain('breaker_state{');
  });
});
