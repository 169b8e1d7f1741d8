import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  addAllToRollup,
  addToRollup,
  bucketStart,
  emptyRollup,
  histogramIndex,
  mergeRollups,
  percentileFromHistogram,
} from '../../src/domain/rollup-math.js';
import { LATENCY_BUCKETS_MS, type Rollup } from '../../src/domain/rollup-math.js';
import { DAY, HOUR, T0, result } from './fixtures.js';

const OPEN = LATENCY_BUCKETS_MS.length;
const histogramWith = (counts: Record<number, number>): number[] =>
  Array.from({ length: LATENCY_BUCKETS_MS.length + 1 }, (_, i) => counts[i] ?? 0);

describe('bucketStart', () => {
  const dayStart = T0 - 10 * HOUR;
  const rows = [
    { name: 'exact hour stays', ms: T0, granularity: 'hour', expected: T0 },
    { name: 'last ms of the hour', ms: T0 + HOUR - 1, granularity: 'hour', expected: T0 },
    { name: 'next hour', ms: T0 + HOUR, granularity: 'hour', expected: T0 + HOUR },
    { name: 'day of a mid-day time', ms: T0 + 123, granularity: 'day', expected: dayStart },
    { name: 'last ms of the previous day', ms: dayStart - 1, granularity: 'day', expected: dayStart - DAY },
    { name: 'midnight UTC', ms: dayStart, granularity: 'day', expected: dayStart },
    { name: 'before 1970 rounds down', ms: -1, granularity: 'hour', expected: -HOUR },
  ] as const;
  for (const row of rows) it(row.name, () => assert.equal(bucketStart(row.ms, row.granularity), row.expected));
});

describe('histogramIndex', () => {
  const rows = [
    { latencyMs: 0, expected: 0 },
    { latencyMs: 5, expected: 0 },
    { latencyMs: 5.01, expected: 1 },
    { latencyMs: 100, expected: 5 },
    { latencyMs: 30_000, expected: OPEN - 1 },
    { latencyMs: 30_001, expected: OPEN },
  ];
  for (const row of rows) it(`${row.latencyMs} ms -> bucket ${row.expected}`, () => assert.equal(histogramIndex(row.latencyMs), row.expected));
});

describe('addToRollup', () => {
  const empty = emptyRollup('m1', 'hour', T0);
  const rows: { name: string; results: Parameters<typeof result>[1][]; expected: Partial<Rollup> }[] = [
    { name: 'nothing added', results: [], expected: { count: 0, okCount: 0, latencyMinMs: 0, latencyMaxMs: 0, histogram: histogramWith({}) } },
    {
      name: 'one ok',
      results: [{ latencyMs: 42 }],
      expected: { count: 1, okCount: 1, degradedCount: 0, latencyMinMs: 42, latencyMaxMs: 42, latencySumMs: 42, histogram: histogramWith({ 3: 1 }) },
    },
    {
      name: 'failure counts, not ok',
      results: [{ ok: false, latencyMs: 10_000, error: { kind: 'timeout', message: 't' } }],
      expected: { count: 1, okCount: 0, latencyMinMs: 10_000, histogram: histogramWith({ 16: 1 }) },
    },
    {
      name: 'degraded counts as ok and degraded',
      results: [{ degraded: true, latencyMs: 2_500 }],
      expected: { count: 1, okCount: 1, degradedCount: 1 },
    },
    {
      name: 'maintenance not counted',
      results: [{ latencyMs: 7 }, { maintenance: true, latencyMs: 99_999, ok: false }],
      expected: { count: 1, okCount: 1, latencyMaxMs: 7, latencySumMs: 7, histogram: histogramWith({ 1: 1 }) },
    },
    {
      name: 'min, max, sum over several',
      results: [{ latencyMs: 50 }, { latencyMs: 3 }, { latencyMs: 40_000 }],
      expected: { count: 3, latencyMinMs: 3, latencyMaxMs: 40_000, latencySumMs: 40_053, histogram: histogramWith({ 0: 1, 3: 1, [OPEN]: 1 }) },
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const rollup = row.results.reduce<Rollup>((acc, overrides, n) => addToRollup(acc, result(`r${n}`, overrides)), empty);
      for (const [key, value] of Object.entries(row.expected)) assert.deepEqual(rollup[key as keyof Rollup], value, key);
    });
    it(`${row.name}, all at once (addAllToRollup), on an empty rollup and on one holding a check`, () => {
      const results = row.results.map((overrides, n) => result(`r${n}`, overrides));
      assert.deepEqual(addAllToRollup(empty, results), results.reduce<Rollup>(addToRollup, empty));
      const holding = addToRollup(empty, result('before', { latencyMs: 120 }));
      assert.deepEqual(addAllToRollup(holding, results), results.reduce<Rollup>(addToRollup, holding));
    });
  }
  it('does not mutate its input', () => {
    addToRollup(empty, result('r1'));
    assert.deepEqual(empty, emptyRollup('m1', 'hour', T0));
  });
});

describe('mergeRollups', () => {
  const of = (latencies: number[]): Rollup =>
    latencies.reduce<Rollup>((acc, latencyMs, n) => addToRollup(acc, result(`r${latencyMs}-${n}`, { latencyMs })), emptyRollup('m1', 'hour', T0));
  const rows = [
    { name: 'both non-empty equals adding all', a: [10, 200], b: [3, 40_000], all: [10, 200, 3, 40_000] },
    { name: 'empty left', a: [], b: [7, 8], all: [7, 8] },
    { name: 'empty right keeps min/max', a: [7, 8], b: [], all: [7, 8] },
    { name: 'both empty', a: [], b: [], all: [] },
  ];
  for (const row of rows) it(row.name, () => assert.deepEqual(mergeRollups(of(row.a), of(row.b)), of(row.all)));
  it('refuses different buckets', () => {
    assert.throws(() => mergeRollups(emptyRollup('m1', 'hour', T0), emptyRollup('m1', 'hour', T0 + HOUR)), RangeError);
  });
});

describe('percentileFromHistogram', () => {
  const rows = [
    { name: 'empty is NaN', histogram: histogramWith({}), p: 50, max: undefined, expected: Number.NaN },
    { name: 'single bucket', histogram: histogramWith({ 3: 4 }), p: 50, max: undefined, expected: 50 },
    { name: 'median on the edge of two buckets', histogram: histogramWith({ 0: 2, 5: 2 }), p: 50, max: undefined, expected: 5 },
    { name: 'just past the edge', histogram: histogramWith({ 0: 2, 5: 2 }), p: 51, max: undefined, expected: 100 },
    { name: 'p100 is the highest non-empty bucket', histogram: histogramWith({ 0: 98, 9: 2 }), p: 100, max: undefined, expected: 500 },
    { name: 'p95 of 100 checks', histogram: histogramWith({ 2: 95, 10: 5 }), p: 95, max: undefined, expected: 25 },
    { name: 'p96 of 100 checks', histogram: histogramWith({ 2: 95, 10: 5 }), p: 96, max: undefined, expected: 750 },
    { name: 'open bucket gives the max latency', histogram: histogramWith({ 0: 1, [OPEN]: 1 }), p: 99, max: 45_000, expected: 45_000 },
    { name: 'open bucket without max gives the last bound', histogram: histogramWith({ [OPEN]: 1 }), p: 50, max: undefined, expected: 30_000 },
  ];
  for (const row of rows) it(row.name, () => assert.equal(percentileFromHistogram(row.histogram, row.p, row.max), row.expected));
  for (const p of [0, -1, 101, Number.NaN]) {
    it(`rejects p=${p}`, () => assert.throws(() => percentileFromHistogram(histogramWith({ 0: 1 }), p), RangeError));
  }
});
