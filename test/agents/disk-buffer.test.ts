import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DiskBuffer } from '../../src/agents/disk-buffer.js';
import type { Observation } from '../../src/domain/observation.js';

const root = mkdtempSync(join(tmpdir(), 'candor-buffer-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `b${++dirs}`);

const observation = (startedAt: number): Observation => ({
  monitorId: 'web',
  vantage: 'a1',
  plannedAt: startedAt,
  startedAt,
  ok: true,
  phases: { total: 1.5 },
  details: { type: 'tcp', bytesReceived: 0 },
});
const times = (observations: readonly Observation[]) => observations.map((o) => o.startedAt);
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => observation(from + i));

describe('disk buffer', () => {
  it('gives back observations oldest first, and never again once acknowledged', () => {
    const buffer = new DiskBuffer({ dir: freshDir(), maxBytes: 1024 * 1024 });
    buffer.append(range(1, 3));
    buffer.append(range(4, 2));
    assert.deepEqual(times(buffer.peek(4)), [1, 2, 3, 4]);
    assert.deepEqual(times(buffer.peek(4)), [1, 2, 3, 4], 'peeking takes nothing');
    buffer.ack(3);
    assert.equal(buffer.size, 2);
    assert.deepEqual(times(buffer.peek(10)), [4, 5]);
    buffer.ack(2);
    assert.equal(buffer.size, 0);
    assert.deepEqual(buffer.peek(10), []);
  });

  it('survives a restart: what was acknowledged stays acknowledged, the rest is read again in order', () => {
    const dir = freshDir();
    const first = new DiskBuffer({ dir, maxBytes: 64 * 1024 });
    // Enough for several segments (a segment is an eighth of the bound, at least 4 KiB).
    for (let i = 0; i < 40; i++) first.append(range(i * 10, 10));
    first.ack(123);
    // A crash between a send and its acknowledgement: those are simply sent again.
    assert.deepEqual(times(first.peek(5)), [123, 124, 125, 126, 127]);
    const second = new DiskBuffer({ dir, maxBytes: 64 * 1024 });
    assert.equal(second.size, 400 - 123);
    assert.deepEqual(times(second.peek(3)), [123, 124, 125]);
    second.append(range(1000, 1));
    assert.deepEqual(times(second.peek(1000)).at(-1), 1000);
  });

  it('deletes segments once all of them is acknowledged', () => {
    const dir = freshDir();
    const buffer = new DiskBuffer({ dir, maxBytes: 64 * 1024 });
    for (let i = 0; i < 40; i++) buffer.append(range(i * 10, 10));
    const segments = () => readdirSync(dir).filter((name) => name.endsWith('.jsonl')).length;
    const before = segments();
    assert.ok(before > 2, `${before} segments`);
    buffer.ack(buffer.size);
    assert.equal(segments(), 1, 'only the segment being written stays');
  });

  it('when full, drops the oldest, counts them and says so; the count survives a restart', () => {
    const dir = freshDir();
    const told: number[] = [];
    const buffer = new DiskBuffer({ dir, maxBytes: 64 * 1024, onDropped: (count) => told.push(count) });
    for (let i = 0; i < 200; i++) buffer.append(range(i * 10, 10));
    assert.ok(buffer.bytes <= 64 * 1024, `${buffer.bytes} bytes`);
    assert.ok(buffer.dropped > 0);
    assert.equal(told.reduce((a, b) => a + b, 0), buffer.dropped);
    assert.equal(buffer.size + buffer.dropped, 2000, 'every observation is either kept or counted as dropped');
    const kept = times(buffer.peek(100_000));
    assert.equal(kept.at(-1), 1999, 'the newest are kept');
    assert.deepEqual(kept, [...kept].sort((a, b) => a - b));
    assert.equal(new DiskBuffer({ dir, maxBytes: 64 * 1024 }).dropped, buffer.dropped);
  });

  it('ignores a line torn by a crash in the middle of a write', () => {
    const dir = freshDir();
    const buffer = new DiskBuffer({ dir, maxBytes: 64 * 1024 });
    buffer.append(range(1, 2));
    const segment = readdirSync(dir).find((name) => name.endsWith('.jsonl'))!;
    appendFileSync(join(dir, segment), '{"monitorId":"web","vant');
    const reopened = new DiskBuffer({ dir, maxBytes: 64 * 1024 });
    assert.deepEqual(times(reopened.peek(10)), [1, 2]);
    reopened.append(range(3, 1));
    assert.deepEqual(times(new DiskBuffer({ dir, maxBytes: 64 * 1024 }).peek(10)), [1, 2, 3], 'the next line is not glued to the torn one');
  });
});
