import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Counter, Histogram, Registry } from 'prom-client';
import { TwoLabelCounter, TwoLabelHistogram } from '../../src/metrics/per-check.js';

const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

describe('per-check metrics', () => {
  it("expose the same text as prom-client's Histogram and Counter fed the same observations", async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const histogram = new TwoLabelHistogram(ours, 'x_seconds', 'Durations', ['type', 'phase'], BOUNDS);
    const reference = new Histogram({ name: 'x_seconds', help: 'Durations', labelNames: ['type', 'phase'], buckets: BOUNDS, registers: [theirs] });
    const counter = new TwoLabelCounter(ours, 'x_total', 'Checks', ['type', 'result']);
    const referenceCounter = new Counter({ name: 'x_total', help: 'Checks', labelNames: ['type', 'result'], registers: [theirs] });
    // Values on bounds, between them, above the last one; two label sets each.
    const observations: [string, string, number][] = [
      ['http', 'ttfb', 0.005],
      ['http', 'ttfb', 0.0051],
      ['http', 'total', 0.3],
      ['tcp', 'connect', 1],
      ['tcp', 'connect', 7],
      ['http', 'ttfb', 0],
    ];
    for (const [type, phase, value] of observations) {
      histogram.observe(type, phase, value);
      reference.observe({ type, phase }, value);
      counter.inc(type, phase === 'total' ? 'ok' : 'timeout');
      referenceCounter.inc({ type, result: phase === 'total' ? 'ok' : 'timeout' });
    }
    assert.equal(await ours.metrics(), await theirs.metrics());
  });

  it('a value that is not a number is not counted', async () => {
    const registry = new Registry();
    const histogram = new TwoLabelHistogram(registry, 'y_seconds', 'Durations', ['type', 'phase'], BOUNDS);
    histogram.observe('http', 'total', Number.NaN);
    assert.doesNotMatch(await registry.metrics(), /y_seconds_count/);
  });
});
