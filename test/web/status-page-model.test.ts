import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Incident } from '../../src/domain/state.js';
import { refreshSeconds } from '../../src/http/routes/pages.js';
import { localDays } from '../../src/read/local-days.js';
import { countsPerDay, dailyUptime, dayStarts, latencySeries, uptimeWindows, type DayUptime } from '../../src/read/status-page.js';
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

describe('local days (bars follow the page time zone)', () => {
  const iso = (ms: number) => new Date(ms).toISOString();
  const cases: ReadonlyArray<{ name: string; zone: string; now: number; starts: string[]; hours: number[] }> = [
    { name: 'UTC', zone: 'UTC', now: NOW, starts: ['2026-03-09T00:00:00.000Z', '2026-03-10T00:00:00.000Z'], hours: [24, 24] },
    { name: 'Berlin, before midnight UTC is already tomorrow', zone: 'Europe/Berlin', now: Date.UTC(2026, 2, 10, 23, 30), starts: ['2026-03-09T23:00:00.000Z', '2026-03-10T23:00:00.000Z'], hours: [24, 24] },
    { name: 'Berlin, the day clocks go forward is 23 hours', zone: 'Europe/Berlin', now: Date.UTC(2026, 2, 30, 10), starts: ['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'], hours: [23, 24] },
    { name: 'New York, the day clocks go back is 25 hours', zone: 'America/New_York', now: Date.UTC(2026, 10, 2, 12), starts: ['2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z'], hours: [25, 24] },
    { name: 'Kolkata, half-hour offset', zone: 'Asia/Kolkata', now: NOW, starts: ['2026-03-08T18:30:00.000Z', '2026-03-09T18:30:00.000Z'], hours: [24, 24] },
    { name: 'Santiago, midnight does not exist: the day starts at 01:00', zone: 'America/Santiago', now: Date.UTC(2026, 8, 7, 12), starts: ['2026-09-06T04:00:00.000Z', '2026-09-07T03:00:00.000Z'], hours: [23, 24] },
  ];
  for (const { name, zone, now, starts, hours } of cases) {
    it(name, () => {
      const days = localDays(now, zone, 2);
      assert.deepEqual(days.map((d) => iso(d.start)), starts);
      assert.deepEqual(days.map((d) => (d.end - d.start) / HOUR), hours);
      assert.ok(now >= days[1]!.start && now < days[1]!.end, 'today contains now');
    });
  }

  it('hourly rollups count in the local day their hour starts in', () => {
    const days = localDays(NOW, 'Europe/Berlin', 2);
    // 22:00 UTC on the 9th is 23:00 in Berlin (the 9th); 23:00 UTC is midnight in Berlin (the 10th).
    const counts = countsPerDay(days, [rollup('m', 'hour', TODAY - 2 * HOUR, 10, 9), rollup('m', 'hour', TODAY - HOUR, 10, 10), rollup('m', 'hour', TODAY - 3 * DAY, 5, 5)]);
    assert.deepEqual(counts, [
      { count: 10, okCount: 9 },
      { count: 10, okCount: 10 },
    ]);
  });
});

describe('dailyUptime', () => {
  const resolved: Incident = incident('i1', ['m'], TODAY - DAY + 23 * HOUR + 30 * MINUTE, TODAY + 15 * MINUTE, 'Crossing midnight');
  const open: Incident = incident('i2', ['m'], NOW - 20 * MINUTE, undefined, 'Ongoing');
  const cases: ReadonlyArray<{ name: string; rollups: Rollup[]; incidents: Incident[]; notRunning?: { startedAt: number; resolvedAt: number }[]; expected: Omit<DayUptime, 'start'>[] }> = [
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
    {
      name: 'while this checker was not running, an open incident is no downtime (no data)',
      rollups: [rollup('m', 'day', TODAY - DAY, 100, 98)],
      incidents: [resolved],
      notRunning: [{ startedAt: TODAY - DAY + 23 * HOUR + 40 * MINUTE, resolvedAt: TODAY + 10 * MINUTE }],
      expected: [
        { checks: 100, okChecks: 98, uptime: 0.98, downtimeMs: 10 * MINUTE, incidents: [{ id: 'i1', title: 'Crossing midnight' }] },
        { checks: 0, okChecks: 0, uptime: null, downtimeMs: 5 * MINUTE, incidents: [{ id: 'i1', title: 'Crossing midnight' }] },
      ],
    },
  ];
  for (const { name, rollups, incidents, notRunning, expected } of cases) {
    it(name, () => {
      const spans = localDays(NOW, 'UTC', 2);
      const days = dailyUptime(spans, countsPerDay(spans, rollups), incidents, NOW, notRunning);
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
  it('names the day in the page time zone', () => {
    assert.equal(dayLabel(day(1), 'America/New_York'), '6 Mar 2026: 100% uptime');
  });
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
  it('an hour in which every check failed has no response time (a refused connection is not one)', () => {
    const points = latencySeries([rollup('m', 'hour', NOW, 10, 0, { 0: 10 })], NOW, NOW + 1, HOUR);
    assert.deepEqual(points, [{ start: NOW, checks: 10, p50Ms: null, p95Ms: null }]);
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
