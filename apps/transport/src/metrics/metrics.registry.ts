import { Injectable } from '@nestjs/common';

/** Label values of one time series, keyed by label name. */
export type Labels = Readonly<Record<string, string>>;

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Poll-length buckets in seconds: a LAN answer, a cellular round trip, a timeout and its retries. */
export const DEFAULT_DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

abstract class Metric {
  protected readonly series = new Map<string, { labels: Labels; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge' | 'histogram',
    readonly labelNames: readonly string[],
  ) {
    if (!METRIC_NAME.test(name)) throw new Error(`invalid metric name "${name}"`);
    for (const label of labelNames) {
      if (!LABEL_NAME.test(label) || label === 'le')
        throw new Error(`invalid label "${label}" on ${name}`);
    }
  }

  /** Forgets one labelled series, e.g. a gateway that was deleted. */
  remove(labels: Labels = {}): void {
    this.series.delete(this.key(labels));
  }

  render(): string[] {
    return [
      `# HELP ${this.name} ${escapeHelp(this.help)}`,
      `# TYPE ${this.name} ${this.type}`,
      ...this.lines(),
    ];
  }

  protected abstract lines(): string[];

  protected key(labels: Labels): string {
    const names = Object.keys(labels);
    if (
      names.length !== this.labelNames.length ||
      !this.labelNames.every((name) => typeof labels[name] === 'string')
    ) {
      throw new Error(`${this.name} takes labels [${this.labelNames.join(', ')}]`);
    }
    return this.labelNames.map((name) => labels[name]).join('\u0000');
  }

  protected add(labels: Labels, delta: number): void {
    const key = this.key(labels);
    const entry = this.series.get(key);
    if (entry) entry.value += delta;
    else this.series.set(key, { labels: { ...labels }, value: delta });
  }
}

/** Only ever goes up (until the process restarts). */
export class Counter extends Metric {
  constructor(name: string, help: string, labelNames: readonly string[]) {
    super(name, help, 'counter', labelNames);
  }

  inc(labels: Labels = {}, value = 1): void {
    if (!(value >= 0)) throw new Error(`${this.name} cannot decrease`);
    this.add(labels, value);
  }

  protected lines(): string[] {
    return [...this.series.values()].map(
      ({ labels, value }) => `${this.name}${formatLabels(labels)} ${formatValue(value)}`,
    );
  }
}

/** A value that goes up and down: connections, breaker states, queue depth. */
export class Gauge extends Metric {
  constructor(name: string, help: string, labelNames: readonly string[]) {
    super(name, help, 'gauge', labelNames);
  }

  set(labels: Labels, value: number): void {
    const key = this.key(labels);
    this.series.set(key, { labels: { ...labels }, value });
  }

  inc(labels: Labels = {}, value = 1): void {
    this.add(labels, value);
  }

  dec(labels: Labels = {}, value = 1): void {
    this.add(labels, -value);
  }

  protected lines(): string[] {
    return [...this.series.values()].map(
      ({ labels, value }) => `${this.name}${formatLabels(labels)} ${formatValue(value)}`,
    );
  }
}

/** Observations counted into cumulative buckets, with their sum and count. */
export class Histogram extends Metric {
  private readonly observations = new Map<
    string,
    { labels: Labels; buckets: number[]; sum: number; count: number }
  >();

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    readonly buckets: readonly number[],
  ) {
    super(name, help, 'histogram', labelNames);
    const sorted = buckets.every((bound, index) => index === 0 || bound > buckets[index - 1]);
    if (buckets.length === 0 || !sorted) throw new Error(`${name} needs increasing bucket bounds`);
  }

  observe(labels: Labels, value: number): void {
    const key = this.key(labels);
    let entry = this.observations.get(key);
    if (!entry) {
      entry = { labels: { ...labels }, buckets: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.observations.set(key, entry);
    }
    this.buckets.forEach((bound, index) => {
      if (value <= bound) entry.buckets[index] += 1;
    });
    entry.sum += value;
    entry.count += 1;
  }

  override remove(labels: Labels = {}): void {
    this.observations.delete(this.key(labels));
  }

  protected lines(): string[] {
    const lines: string[] = [];
    for (const { labels, buckets, sum, count } of this.observations.values()) {
      this.buckets.forEach((bound, index) => {
        const le = formatLabels({ ...labels, le: formatValue(bound) });
        lines.push(`${this.name}_bucket${le} ${buckets[index]}`);
      });
      lines.push(`${this.name}_bucket${formatLabels({ ...labels, le: '+Inf' })} ${count}`);
      lines.push(`${this.name}_sum${formatLabels(labels)} ${formatValue(sum)}`);
      lines.push(`${this.name}_count${formatLabels(labels)} ${count}`);
    }
    return lines;
  }
}

/**
 * The transport's Prometheus metrics, rendered by hand in the text exposition format 0.0.4 (no
 * client library needed for a few counters). Asking twice for the same name returns the same
 * metric, so MQTT and Modbus code can each declare what they use.
 */
@Injectable()
export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();
  private readonly collectors: Array<() => void> = [];

  constructor() {
    this.registerProcessMetrics();
  }

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.register(name, Counter, () => new Counter(name, help, labelNames));
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    return this.register(name, Gauge, () => new Gauge(name, help, labelNames));
  }

  histogram(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
    buckets: readonly number[] = DEFAULT_DURATION_BUCKETS,
  ): Histogram {
    return this.register(name, Histogram, () => new Histogram(name, help, labelNames, buckets));
  }

  /** Runs before every scrape: for values cheaper to read then than to track (memory, handles). */
  onCollect(collect: () => void): void {
    this.collectors.push(collect);
  }

  render(): string {
    for (const collect of this.collectors) collect();
    return [...this.metrics.values()].flatMap((metric) => metric.render()).join('\n') + '\n';
  }

  private register<T extends Metric>(
    name: string,
    type: abstract new (...args: never[]) => T,
    create: () => T,
  ): T {
    const existing = this.metrics.get(name);
    if (existing) {
      if (!(existing instanceof type)) throw new Error(`${name} is already a ${existing.type}`);
      return existing;
    }
    const metric = create();
    this.metrics.set(name, metric);
    return metric;
  }

  private registerProcessMetrics(): void {
    const memory = this.gauge('process_resident_memory_bytes', 'Resident memory size in bytes.');
    const heap = this.gauge('nodejs_heap_used_bytes', 'V8 heap in use, in bytes.');
    const cpu = this.counter('process_cpu_seconds_total', 'User and system CPU time, in seconds.');
    this.gauge('process_start_time_seconds', 'Start time of the process since the Unix epoch.').set(
      {},
      Math.round(Date.now() / 1000 - process.uptime()),
    );
    let cpuSeen = 0;
    this.onCollect(() => {
      const usage = process.memoryUsage();
      memory.set({}, usage.rss);
      heap.set({}, usage.heapUsed);
      const { user, system } = process.cpuUsage();
      const seconds = (user + system) / 1e6;
      cpu.inc({}, Math.max(0, seconds - cpuSeen));
      cpuSeen = Math.max(cpuSeen, seconds);
    });
  }
}

function formatLabels(labels: Labels): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabel(value)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
