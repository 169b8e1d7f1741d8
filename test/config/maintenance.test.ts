import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activeMaintenance } from '../../src/domain/maintenance.js';
import type { MaintenanceWindow } from '../../src/domain/monitor.js';
import { parse, yaml } from './support.js';

const at = (iso: string): number => Date.parse(iso);
const fixed: MaintenanceWindow = { kind: 'fixed', startAt: at('2026-12-01T02:00:00Z'), endAt: at('2026-12-01T04:00:00Z'), title: 'db' };
const cron = (expression: string, duration: string, timezone = 'UTC'): MaintenanceWindow => {
  const ms = { '30m': 1_800_000, '1h': 3_600_000, '3h': 10_800_000 }[duration] as number;
  return { kind: 'cron', cron: expression, durationMs: ms, timezone };
};

describe('activeMaintenance', () => {
  const cases: ReadonlyArray<{ name: string; windows: readonly MaintenanceWindow[]; now: string; active: boolean }> = [
    { name: 'fixed: before the start', windows: [fixed], now: '2026-12-01T01:59:59.999Z', active: false },
    { name: 'fixed: at the start', windows: [fixed], now: '2026-12-01T02:00:00Z', active: true },
    { name: 'fixed: inside', windows: [fixed], now: '2026-12-01T03:30:00Z', active: true },
    { name: 'fixed: at the end (exclusive)', windows: [fixed], now: '2026-12-01T04:00:00Z', active: false },
    { name: 'no windows', windows: [], now: '2026-12-01T03:00:00Z', active: false },
    // UTC, every Sunday 03:00 for 1h. 2026-01-04 is a Sunday.
    { name: 'cron UTC: just before the fire', windows: [cron('0 3 * * 0', '1h')], now: '2026-01-04T02:59:59Z', active: false },
    { name: 'cron UTC: exactly at the fire', windows: [cron('0 3 * * 0', '1h')], now: '2026-01-04T03:00:00Z', active: true },
    { name: 'cron UTC: inside', windows: [cron('0 3 * * 0', '1h')], now: '2026-01-04T03:59:59.999Z', active: true },
    { name: 'cron UTC: at the end (exclusive)', windows: [cron('0 3 * * 0', '1h')], now: '2026-01-04T04:00:00Z', active: false },
    { name: 'cron UTC: another weekday', windows: [cron('0 3 * * 0', '1h')], now: '2026-01-05T03:30:00Z', active: false },
    { name: 'cron UTC: across midnight', windows: [cron('30 23 * * *', '1h')], now: '2026-01-05T00:15:00Z', active: true },
    { name: 'cron UTC: with a seconds field', windows: [cron('30 0 3 * * *', '30m')], now: '2026-01-05T03:00:29Z', active: false },
    // Asia/Tokyo is UTC+9 all year: 03:00 JST is 18:00 UTC the day before.
    { name: 'cron Tokyo (no DST): inside', windows: [cron('0 3 * * *', '1h', 'Asia/Tokyo')], now: '2026-07-14T18:30:00Z', active: true },
    { name: 'cron Tokyo (no DST): 03:30 UTC is not 03:30 JST', windows: [cron('0 3 * * *', '1h', 'Asia/Tokyo')], now: '2026-07-15T03:30:00Z', active: false },
    // Asia/Kolkata is UTC+5:30 all year: 03:00 IST is 21:30 UTC the day before.
    { name: 'cron Kolkata (half-hour offset): inside', windows: [cron('0 3 * * *', '30m', 'Asia/Kolkata')], now: '2026-03-09T21:45:00Z', active: true },
    { name: 'cron Kolkata (half-hour offset): after', windows: [cron('0 3 * * *', '30m', 'Asia/Kolkata')], now: '2026-03-09T22:00:00Z', active: false },
    // Europe/Berlin: UTC+1 in winter, UTC+2 in summer.
    { name: 'cron Berlin in winter: 02:30 UTC is 03:30 CET', windows: [cron('0 3 * * *', '1h', 'Europe/Berlin')], now: '2026-01-15T02:30:00Z', active: true },
    { name: 'cron Berlin in summer: 02:30 UTC is 04:30 CEST', windows: [cron('0 3 * * *', '1h', 'Europe/Berlin')], now: '2026-07-15T02:30:00Z', active: false },
    { name: 'cron Berlin in summer: 01:30 UTC is 03:30 CEST', windows: [cron('0 3 * * *', '1h', 'Europe/Berlin')], now: '2026-07-15T01:30:00Z', active: true },
    {
      name: 'the first covering window wins',
      windows: [cron('0 3 * * 0', '1h'), fixed],
      now: '2026-12-01T03:00:00Z',
      active: true,
    },
  ];
  for (const { name, windows, now, active } of cases) {
    it(name, () => assert.equal(activeMaintenance(windows, at(now)) !== undefined, active));
  }

  it('returns the covering window itself', () => {
    assert.equal(activeMaintenance([cron('0 3 * * 0', '1h'), fixed], at('2026-12-01T03:00:00Z')), fixed);
  });

  it('reads windows written in the config', () => {
    const config = parse(yaml`
      monitors:
        - id: a
          type: tcp
          host: localhost
          port: 22
          maintenance:
            - { start: "2026-12-01T03:00:00+01:00", end: "2026-12-01T05:00:00+01:00", title: Upgrade }
            - { cron: "0 3 * * 0", duration: 1h30m, timezone: America/New_York }
    `);
    const windows = config.monitors[0]?.maintenance ?? [];
    assert.deepEqual(windows, [
      { kind: 'fixed', startAt: at('2026-12-01T02:00:00Z'), endAt: at('2026-12-01T04:00:00Z'), title: 'Upgrade' },
      { kind: 'cron', cron: '0 3 * * 0', durationMs: 5_400_000, timezone: 'America/New_York' },
    ]);
    // Sunday 2026-01-04 03:00 EST is 08:00 UTC; the window lasts until 09:30 UTC.
    assert.equal(activeMaintenance(windows, at('2026-01-04T09:29:59Z'))?.kind, 'cron');
    assert.equal(activeMaintenance(windows, at('2026-01-04T09:30:00Z')), undefined);
    assert.equal(activeMaintenance(windows, at('2026-12-01T02:00:00Z'))?.kind, 'fixed');
  });
});
