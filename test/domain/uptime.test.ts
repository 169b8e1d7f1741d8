import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { coveredMs, isUptimeWindow, uptimeOf, windowBuckets } from '../../src/domain/uptime.js';

describe('uptime', () => {
  const rows = [
    { name: 'no checks is unknown, not 100%', input: [], expected: { uptime: null, checks: 0, okChecks: 0 } },
    { name: 'all ok', input: [{ count: 10, okCount: 10 }], expected: { uptime: 1, checks: 10, okChecks: 10 } },
    { name: 'sums rows', input: [{ count: 10, okCount: 9 }, { count: 30, okCount: 21 }], expected: { uptime: 0.75, checks: 40, okChecks: 30 } },
  ];
  for (const row of rows) it(row.name, () => assert.deepEqual(uptimeOf(row.input), row.expected));
});

describe('coveredMs', () => {
  const rows = [
    { name: 'nothing', intervals: [], expected: 0 },
    { name: 'inside', intervals: [{ startedAt: 10, resolvedAt: 20 }], expected: 10 },
    { name: 'clipped both sides', intervals: [{ startedAt: -5, resolvedAt: 200 }], expected: 100 },
    { name: 'open runs to the end', intervals: [{ startedAt: 90 }], expected: 10 },
    { name: 'overlaps counted once', intervals: [{ startedAt: 10, resolvedAt: 30 }, { startedAt: 20, resolvedAt: 40 }, { startedAt: 25, resolvedAt: 35 }], expected: 30 },
    { name: 'outside', intervals: [{ startedAt: 200, resolvedAt: 300 }], expected: 0 },
    { name: 'a gap inside an outage is left out', intervals: [{ startedAt: 10, resolvedAt: 50 }], excluded: [{ startedAt: 20, resolvedAt: 30 }], expected: 30 },
    { name: 'a gap across an open outage', intervals: [{ startedAt: 60 }], excluded: [{ startedAt: 50, resolvedAt: 80 }], expected: 20 },
    { name: 'gaps overlapping each other count once', intervals: [{ startedAt: 0, resolvedAt: 100 }], excluded: [{ startedAt: 10, resolvedAt: 30 }, { startedAt: 20, resolvedAt: 40 }], expected: 70 },
    { name: 'a gap outside every outage changes nothing', intervals: [{ startedAt: 10, resolvedAt: 20 }], excluded: [{ startedAt: 40, resolvedAt: 60 }], expected: 10 },
  ];
  for (const row of rows) it(row.name, () => assert.equal(coveredMs(row.intervals, 0, 100, row.excluded ?? []), row.expected));
});

describe('isUptimeWindow', () => {
  for (const [value, expected] of [['24h', true], ['90d', true], ['1y', false], ['constructor', false]] as const) {
    it(`${value} -> ${expected}`, () => assert.equal(isUptimeWindow(value), expected));
  }
});

describe('windowBuckets', () => {
  const now = Date.UTC(2026, 2, 10, 10, 25);
  const rows = [
    { window: '24h' as const, granularity: 'hour', from: Date.UTC(2026, 2, 9, 11) },
    { window: '7d' as const, granularity: 'day', from: Date.UTC(2026, 2, 4) },
    { window: '90d' as const, granularity: 'day', from: Date.UTC(2025, 11, 11) },
  ];
  for (const row of rows) {
    it(`${row.window}: ${new Date(row.from).toISOString()}`, () => assert.deepEqual(windowBuckets(row.window, now), { granularity: row.granularity, from: row.from }));
  }
});
