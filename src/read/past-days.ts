// Daily rollups of finished UTC days hardly change (only a result flushed just after midnight can still
// touch yesterday), so a page reads them once and keeps them a while; today's row is always read live.
// This turns the 90-day read of a status page from ~9,000 rows into one row per monitor.
import type { Clock } from '../runtime/clock.js';
import { bucketStart } from '../domain/rollup-math.js';
import type { Store } from '../storage/store.js';
import type { Rollup } from '../domain/rollup-math.js';

export const PAST_DAYS_TTL_MS = 10 * 60_000;

interface Entry {
  readonly todayStart: number;
  readonly from: number;
  readonly fetchedAt: number;
  readonly rollups: readonly Rollup[];
}

export class PastDaysCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ttlMs = PAST_DAYS_TTL_MS,
  ) {}

  /** Daily rollups of these monitors with bucketStart in [from, now]: past days cached, today live. */
  async dailyRollups(monitorIds: readonly string[], from: number): Promise<Rollup[]> {
    const now = this.clock.now();
    const todayStart = bucketStart(now, 'day');
    const key = monitorIds.join('\n');
    let entry = this.entries.get(key);
    if (!entry || entry.todayStart !== todayStart || entry.from !== from || now - entry.fetchedAt > this.ttlMs) {
      entry = { todayStart, from, fetchedAt: now, rollups: await this.store.listRollupsForMonitors(monitorIds, 'day', from, todayStart) };
      // One entry per distinct page: a handful at most, so no eviction beyond replacing stale ones.
      this.entries.set(key, entry);
    }
    const today = await this.store.listRollupsForMonitors(monitorIds, 'day', todayStart, now + 1);
    return [...entry.rollups, ...today];
  }
}
