// The two metrics observed on every check, counted in plain arrays and turned into prom-client's form
// only when scraped. prom-client builds and hashes an object of labels on every observation: at 10,000
// monitors that was a tenth of everything the main thread allocated, and its share of the collections.
// Exposed through the same registry, in the same text as prom-client's own Histogram and Counter.
import type { Registry } from 'prom-client';

interface MetricValue {
  readonly metricName?: string;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
}

/** What prom-client's registry reads of a metric (see Registry.getMetricsAsString). */
interface ScrapedMetric {
  readonly name: string;
  readonly help: string;
  readonly type: 'histogram' | 'counter';
  readonly values: readonly MetricValue[];
  readonly aggregator: 'sum';
}

/** Two levels of labels, found without building a key: the label values are few and fixed. */
class ByTwoLabels<T> {
  private readonly outer = new Map<string, Map<string, T>>();
  constructor(private readonly make: () => T) {}

  get(a: string, b: string): T {
    let inner = this.outer.get(a);
    if (!inner) this.outer.set(a, (inner = new Map()));
    let value = inner.get(b);
    if (value === undefined) inner.set(b, (value = this.make()));
    return value;
  }

  *entries(): IterableIterator<[string, string, T]> {
    for (const [a, inner] of this.outer) for (const [b, value] of inner) yield [a, b, value];
  }

  clear(): void {
    this.outer.clear();
  }
}

interface Series {
  /** Per bucket (not cumulative), the last one above every bound. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/** A histogram with two labels, registered on `registry` under `name`. */
export class TwoLabelHistogram {
  private readonly series: ByTwoLabels<Series>;

  constructor(
    registry: Registry,
    private readonly name: string,
    private readonly help: string,
    private readonly labelNames: readonly [string, string],
    private readonly bounds: readonly number[],
  ) {
    this.series = new ByTwoLabels(() => ({ counts: new Float64Array(bounds.length + 1), sum: 0, count: 0 }));
    registry.registerMetric(this.metric() as never);
  }

  observe(a: string, b: string, value: number): void {
    if (!Number.isFinite(value)) return;
    const series = this.series.get(a, b);
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]!) i++;
    series.counts[i]!++;
    series.sum += value;
    series.count++;
  }

  private metric() {
    const { name, help, labelNames, bounds, series } = this;
    return {
      name,
      help,
      type: 'histogram',
      aggregator: 'sum',
      get: async (): Promise<ScrapedMetric> => {
        const values: MetricValue[] = [];
        for (const [a, b, { counts, sum, count }] of series.entries()) {
          const labels = { [labelNames[0]]: a, [labelNames[1]]: b };
          let cumulative = 0;
          bounds.forEach((bound, i) => {
            cumulative += counts[i]!;
            values.push({ metricName: `${name}_bucket`, labels: { le: bound, ...labels }, value: cumulative });
          });
          values.push({ metricName: `${name}_bucket`, labels: { le: '+Inf', ...labels }, value: count });
          values.push({ metricName: `${name}_sum`, labels, value: sum });
          values.push({ metricName: `${name}_count`, labels, value: count });
        }
        return { name, help, type: 'histogram', values, aggregator: 'sum' };
      },
      reset: () => series.clear(),
    };
  }
}

/** A counter with two labels, registered on `registry` under `name`. */
export class TwoLabelCounter {
  private readonly counts = new ByTwoLabels<{ value: number }>(() => ({ value: 0 }));

  constructor(registry: Registry, name: string, help: string, labelNames: readonly [string, string]) {
    const counts = this.counts;
    registry.registerMetric({
      name,
      help,
      type: 'counter',
      aggregator: 'sum',
      get: async (): Promise<ScrapedMetric> => ({
        name,
        help,
        type: 'counter',
        values: [...counts.entries()].map(([a, b, { value }]) => ({ labels: { [labelNames[0]]: a, [labelNames[1]]: b }, value })),
        aggregator: 'sum',
      }),
      reset: () => counts.clear(),
    } as never);
  }

  inc(a: string, b: string): void {
    this.counts.get(a, b).value++;
  }
}
