import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Incident } from '../../src/domain/state.js';
import { refreshSeconds } from '../../src/http/routes/pages.js';
import { dailyUptime, dayStarts, latencySeries, uptimeWindows, type DayUptime } from '../../src/read/status-page.js';
import { LATENCY_BUCKETS_MS, type Rollup } from '../../src/domain/rollup-math.js';
import { pickEncoding } from '../../src/web/render-cache.js';
import { barTone, dayLabel } from '../../src/web/uptime-bars.js';
import { DAY, HOUR, MINUTE, NOW, TODAY, incident } from './support.js';

function rollup(monitorId: string, granularity: 'hour' | 'day', bucketStart: number, count: number, okCount: number, latencies: Record<number, number> = {}): Rollup {
  const histogram = Array.from({ length: LATENCY_BUCKETS_MS.length + 1 }, (_, i) => latencies[i] ?? 0);
  return { monitorId, granularity, bucketStart, count, okCount, degradedCount: 0, latencyMinMs: 1, latencyMaxMs: 40_000, latencySumMs: 0, histogram };
}

describe('dayStarts', () => {
  it('ends with today (UTC) and has one start per day', () => {
    const starts = dayStarts(NOW, 3);
    assert.deepEqual(starts, [TODAY - 2 * DAY, TODAY - DAY, TODAY]);
  });
});

describe('dailyUptime', () => {
  const resolved: Incident = incident('i1', ['m'], TODAY - DAY + 23 * HOUR + 30 * MINUTE, TODAY + 15 * MINUTE, 'Crossing midnight');
  const open: Incident = incident('i2', ['m'], NOW - 20 * MINUTE, undefined, 'Ongoing');
  const cases: ReadonlyArray<{ name: string; rollups: Rollup[]; incidents: Incident[]; expected: Omit<DayUptime, 'start'>[] }> = [
    {
      name: 'no rollups: no data, no downtime',
      rollups: [],
      incidents: [],
      expected: [
        { checks: 0, okChecks: 0, uptime: null, downtimeMs: 0, incidents: [] },
        { checks: 0, okChecks: 0, uptime: null, downtimeMs: 0, incidents: [] },
      ],
    },
    {
      name: 'uptime from counts; an incident across midnight counts on both days; an open one until now',
      rollups: [rollup('m', 'day', TODAY - DAY, 100, 98), rollup('m', 'day', TODAY, 40, 39)],
      incidents: [open, resolved],
      expected: [
        { checks: 100, okChecks: 98, uptime: 0.98, downtimeMs: 30 * MINUTE, incidents: [{ id: 'i1', title: 'Crossing midnight' }] },
        {
          checks: 40,
          okChecks: 39,
          uptime: 39 / 40,
          downtimeMs: 15 * MINUTE + 20 * MINUTE,
          incidents: [
            { id: 'i2', title: 'Ongoing' },
            { id: 'i1', title: 'Crossing midnight' },
          ],
        },
      ],
    },
  ];
  for (const { name, rollups, incidents, expected } of cases) {
    it(name, () => {
      const days = dailyUptime(rollups, incidents, NOW, 2);
      assert.deepEqual(
        days.map(({ start: _start, ...rest }) => rest),
        expected,
      );
      assert.deepEqual(
        days.map((d) => d.start),
        [TODAY - DAY, TODAY],
      );
    });
  }
});

describe('bars', () => {
  const day = (uptime: number | null, downtimeMs = 0, incidents: DayUptime['incidents'] = []): DayUptime => ({
    start: Date.UTC(2026, 2, 7),
    checks: uptime === null ? 0 : 100,
    okChecks: uptime === null ? 0 : Math.round(uptime * 100),
    uptime,
    downtimeMs,
    incidents,
  });
  const cases: ReadonlyArray<{ day: DayUptime; tone: string; label: string }> = [
    { day: day(1), tone: 'ok', label: '7 Mar 2026: 100% uptime' },
    { day: day(null), tone: 'none', label: '7 Mar 2026: no data' },
    { day: day(0.995, 7 * MINUTE, [{ id: 'i', title: 'API is down' }]), tone: 'warn', label: '7 Mar 2026: 99.50% uptime, 7 min down, 1 incident (API is down)' },
    { day: day(0.97, 40 * MINUTE), tone: 'partial', label: '7 Mar 2026: 97.00% uptime, 40 min down' },
    { day: day(0.5, 12 * HOUR, [{ id: 'a', title: 'A' }, { id: 'b', title: 'B' }]), tone: 'down', label: '7 Mar 2026: 50.00% uptime, 720 min down, 2 incidents (A; B)' },
    { day: day(1, 30_000), tone: 'warn', label: '7 Mar 2026: 100% uptime, 1 min down' },
  ];
  for (const { day: input, tone, label } of cases) {
    it(label, () => {
      assert.equal(barTone(input), tone);
      assert.equal(dayLabel(input), label);
    });
  }
});

describe('latencySeries', () => {
  it('one point per bucket, percentiles from the histogram, gaps as null', () => {
    // 10 checks: 9 in the ≤50 ms bucket (index 3), 1 in the ≤1000 ms bucket (index 11).
    const points = latencySeries([rollup('m', 'hour', NOW - 2 * HOUR, 10, 10, { 3: 9, 11: 1 })], NOW - 2 * HOUR, NOW + 1, HOUR);
    assert.deepEqual(points, [
      { start: NOW - 2 * HOUR, checks: 10, p50Ms: 50, p95Ms: 1000 },
      { start: NOW - HOUR, checks: 0, p50Ms: null, p95Ms: null },
      { start: NOW, checks: 0, p50Ms: null, p95Ms: null },
    ]);
  });
});

describe('uptimeWindows', () => {
  it('24 h from hourly rollups, 30 and 90 days from daily ones', () => {
    const hours = [rollup('m', 'hour', NOW - 25 * HOUR, 10, 0), rollup('m', 'hour', NOW - 2 * HOUR, 10, 9)];
    const days = [rollup('m', 'day', TODAY - 60 * DAY, 100, 50), rollup('m', 'day', TODAY - 3 * DAY, 100, 100)];
    assert.deepEqual(uptimeWindows(hours, days, NOW), { '24h': 0.9, '30d': 1, '90d': 0.75 });
    assert.deepEqual(uptimeWindows([], [], NOW), { '24h': null, '30d': null, '90d': null });
  });
});

describe('live refresh and encodings', () => {
  const refresh: ReadonlyArray<[string | undefined, number]> = [
    [undefined, 10],
    ['abc', 10],
    ['1', 2],
    ['0', 2],
    ['-5', 2],
    ['2', 2],
    ['30', 30],
    ['999999', 3600],
  ];
  for (const [value, seconds] of refresh) it(`?refresh=${String(value)} polls every ${seconds} s`, () => assert.equal(refreshSeconds(value), seconds));

  const encodings: ReadonlyArray<[string | undefined, string]> = [
    [undefined, 'identity'],
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip;q=0.5', 'gzip'],
    ['*', 'br'],
    ['identity', 'identity'],
    ['deflate', 'identity'],
  ];
  for (const [header, encoding] of encodings) it(`Accept-Encoding ${String(header)} → ${encoding}`, () => assert.equal(pickEncoding(header), encoding));
});
