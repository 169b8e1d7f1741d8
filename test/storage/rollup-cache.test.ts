import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addAllToRollup, emptyRollup, type Rollup } from '../../src/domain/rollup-math.js';
import { RollupCache } from '../../src/storage/rollups.js';
import { result } from './fixtures.js';

const HOUR = 3_600_000;

/** A rollup of `checks` passing checks of `latencyMs` in the hour starting at `start`. */
function rollupOf(monitorId: string, start: number, checks: number, latencyMs: number): Rollup {
  const results = Array.from({ length: checks }, (_, i) => result(`${monitorId}-${start}-${i}`, { monitorId, startedAt: start + i, plannedAt: start + i, latencyMs }));
  return addAllToRollup(emptyRollup(monitorId, 'hour', start), results);
}

describe('RollupCache', () => {
  it('gives back what was committed, for the current bucket only, across many series', () => {
    const cache = new RollupCache();
    const written = Array.from({ length: 300 }, (_, key) => ({ seriesKey: key, rollup: rollupOf(`m${key}`, 10 * HOUR, 1 + (key % 5), 40 + key) }));
    cache.remember(written);
    for (const { seriesKey, rollup } of written) {
      assert.deepEqual(cache.get(seriesKey, 'hour', 10 * HOUR), rollup);
      assert.equal(cache.get(seriesKey, 'hour', 9 * HOUR), undefined, 'another bucket');
      assert.equal(cache.get(seriesKey, 'day', 0), undefined, 'another granularity');
    }
    assert.equal(cache.get(300, 'hour', 10 * HOUR), undefined, 'another series');
  });

  it('a newer bucket replaces the current one; an older one (a late result) does not', () => {
    const cache = new RollupCache();
    const current = rollupOf('m', 10 * HOUR, 3, 50);
    cache.remember([{ seriesKey: 1, rollup: current }]);
    cache.remember([{ seriesKey: 1, rollup: rollupOf('m', 9 * HOUR, 1, 70) }]);
    assert.deepEqual(cache.get(1, 'hour', 10 * HOUR), current);
    assert.equal(cache.get(1, 'hour', 9 * HOUR), undefined);
    const next = rollupOf('m', 11 * HOUR, 2, 60);
    cache.remember([{ seriesKey: 1, rollup: next }]);
    assert.deepEqual(cache.get(1, 'hour', 11 * HOUR), next);
    assert.equal(cache.get(1, 'hour', 10 * HOUR), undefined);
  });
});
