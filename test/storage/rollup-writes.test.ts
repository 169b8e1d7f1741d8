import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RollupWrites } from '../../src/storage/rollup-writes.js';

const HOUR = 3_600_000;
const hour = (n: number, monitorId = 'm') => ({ monitorId, granularity: 'hour' as const, bucketStart: n * HOUR });
const day = (n: number, monitorId = 'm') => ({ monitorId, granularity: 'day' as const, bucketStart: n * 24 * HOUR });
const sorted = (set: ReadonlySet<string> | undefined) => (set ? [...set].sort() : undefined);

describe('RollupWrites', () => {
  it('answers whether a commit after a mark wrote a bucket before a time, per granularity', () => {
    const writes = new RollupWrites();
    const start = writes.mark();
    assert.equal(writes.writtenSince(start, 'hour', 100 * HOUR), false, 'nothing written yet');
    writes.written([hour(10), day(0)]);
    const afterFirst = writes.mark();
    writes.written([hour(12), day(0)]);
    assert.equal(writes.writtenSince(start, 'hour', 10 * HOUR), false, 'hour 10 does not start before hour 10');
    assert.equal(writes.writtenSince(start, 'hour', 11 * HOUR), true);
    assert.equal(writes.writtenSince(afterFirst, 'hour', 11 * HOUR), false, 'only hour 12 was written after the mark');
    assert.equal(writes.writtenSince(afterFirst, 'hour', 13 * HOUR), true);
    assert.equal(writes.writtenSince(afterFirst, 'day', 24 * HOUR), true, 'day 0 again');
    assert.equal(writes.writtenSince(writes.mark(), 'hour', 1000 * HOUR), false, 'nothing after the latest mark');
  });

  it('a later commit of an earlier bucket is seen from every mark before it', () => {
    const writes = new RollupWrites();
    const marks: number[] = [];
    for (const n of [20, 21, 22, 5, 23]) {
      marks.push(writes.mark());
      writes.written([hour(n)]);
    }
    // Hour 5 was written by the fourth commit: every mark taken before it sees it.
    for (const mark of marks.slice(0, 4)) assert.equal(writes.writtenSince(mark, 'hour', 6 * HOUR), true);
    assert.equal(writes.writtenSince(marks[4]!, 'hour', 6 * HOUR), false);
    assert.equal(writes.writtenSince(marks[4]!, 'hour', 24 * HOUR), true);
  });

  it('commits with no rollups change nothing; a prune answers "written" for every earlier mark', () => {
    const writes = new RollupWrites();
    const mark = writes.mark();
    writes.written([]);
    assert.equal(writes.mark(), mark);
    writes.everything();
    assert.equal(writes.writtenSince(mark, 'day', -Infinity), true);
    assert.equal(writes.writtenSince(writes.mark(), 'day', Infinity), false);
  });

  it('past its bound it forgets the oldest low points and answers "written" for the marks they covered', () => {
    const writes = new RollupWrites();
    const first = writes.mark();
    // A backlog written oldest first: every commit is a new low point.
    for (let n = 1; n <= 2000; n++) writes.written([hour(n)]);
    const late = writes.mark();
    assert.equal(writes.writtenSince(first, 'hour', 0), true, 'forgotten: answered "written"');
    assert.equal(writes.writtenSince(late - 100, 'hour', 1901 * HOUR), false, 'kept: hours 1901 to 2000 were written after it');
    assert.equal(writes.writtenSince(late - 100, 'hour', 1902 * HOUR), true);
    // Going back down folds the list: hour 3 after all of them.
    writes.written([hour(3)]);
    assert.equal(writes.writtenSince(late, 'hour', 4 * HOUR), true);
    assert.equal(writes.writtenSince(late, 'hour', 3 * HOUR), false);
  });

  it('says which monitors had hourly rows written after a mark', () => {
    const writes = new RollupWrites();
    const start = writes.mark();
    assert.deepEqual(sorted(writes.hourlyWrittenSince(start)), [], 'nothing written yet');
    writes.written([hour(10, 'a'), day(0, 'a'), hour(10, 'b'), day(0, 'b')]);
    const afterFirst = writes.mark();
    writes.written([day(0, 'c')]);
    writes.written([hour(10, 'b'), hour(9, 'd')]);
    assert.deepEqual(sorted(writes.hourlyWrittenSince(start)), ['a', 'b', 'd']);
    assert.deepEqual(sorted(writes.hourlyWrittenSince(afterFirst)), ['b', 'd'], 'c wrote a daily row only');
    assert.deepEqual(sorted(writes.hourlyWrittenSince(writes.mark())), []);
  });

  it('answers "not known" for a mark older than the commits it remembers, or taken before a prune', () => {
    const writes = new RollupWrites();
    const first = writes.mark();
    for (let n = 0; n < 29; n++) writes.written([hour(n, `m${n}`)]);
    assert.equal(writes.hourlyWrittenSince(first)?.size, 29, 'every commit since is remembered');
    writes.written([hour(29, 'm29')]);
    writes.written([hour(30, 'm30')]);
    assert.equal(writes.hourlyWrittenSince(first), undefined, 'the first commit after the mark was forgotten');
    assert.deepEqual(sorted(writes.hourlyWrittenSince(writes.mark() - 2)), ['m29', 'm30']);
    const beforePrune = writes.mark();
    writes.everything();
    assert.equal(writes.hourlyWrittenSince(beforePrune), undefined);
    assert.deepEqual(sorted(writes.hourlyWrittenSince(writes.mark())), []);
  });
});
