// Occurrences of maintenance windows over a span: what /api/v2 publishes as scheduled maintenances.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { maintenanceOccurrences } from '../../src/domain/maintenance.js';
import type { MaintenanceWindow } from '../../src/domain/monitor.js';

const H = 3_600_000;
const D = 24 * H;
const T = Date.UTC(2026, 11, 1); // a Tuesday, midnight UTC

describe('maintenanceOccurrences', () => {
  const cases: ReadonlyArray<{ name: string; window: MaintenanceWindow; from: number; to: number; limit?: number; starts: number[] }> = [
    { name: 'a fixed window inside the span', window: { kind: 'fixed', startAt: T + H, endAt: T + 2 * H }, from: T, to: T + D, starts: [T + H] },
    { name: 'a fixed window running at the start of the span', window: { kind: 'fixed', startAt: T - H, endAt: T + H }, from: T, to: T + D, starts: [T - H] },
    { name: 'a fixed window ended exactly at the start', window: { kind: 'fixed', startAt: T - 2 * H, endAt: T }, from: T, to: T + D, starts: [] },
    { name: 'a fixed window starting exactly at the end', window: { kind: 'fixed', startAt: T + D, endAt: T + D + H }, from: T, to: T + D, starts: [] },
    { name: 'daily at 03:00 for an hour, over three days', window: { kind: 'cron', cron: '0 3 * * *', durationMs: H, timezone: 'UTC' }, from: T, to: T + 3 * D, starts: [T + 3 * H, T + D + 3 * H, T + 2 * D + 3 * H] },
    { name: 'one running when the span starts is included', window: { kind: 'cron', cron: '0 3 * * *', durationMs: 2 * H, timezone: 'UTC' }, from: T + 4 * H, to: T + D, starts: [T + 3 * H] },
    { name: 'read in its time zone (03:00 in Berlin is 02:00 UTC in winter)', window: { kind: 'cron', cron: '0 3 * * *', durationMs: H, timezone: 'Europe/Berlin' }, from: T, to: T + D, starts: [T + 2 * H] },
    { name: 'bounded in count', window: { kind: 'cron', cron: '* * * * *', durationMs: 1000, timezone: 'UTC' }, from: T, to: T + D, limit: 3, starts: [T, T + 60_000, T + 120_000] },
  ];
  for (const { name, window, from, to, limit, starts } of cases) {
    it(name, () => assert.deepEqual(maintenanceOccurrences(window, from, to, limit).map((o) => o.start), starts));
  }
  it('keeps the title and the end', () => {
    assert.deepEqual(maintenanceOccurrences({ kind: 'cron', cron: '0 3 * * *', durationMs: H, timezone: 'UTC', title: 'Nightly' }, T, T + D), [{ start: T + 3 * H, end: T + 4 * H, title: 'Nightly' }]);
  });
});
