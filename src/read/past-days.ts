// Rollups of finished days hardly change (a result flushed just after midnight, an agent's backlog), so
// a page reads them once and keeps them until the store says one of them was written; today's rows are
// always read live.
// This turns the 90-day read of a status page from ~9,000 rows into one row per monitor, and for a page
// in another time zone (bars of local days, from hourly rollups) from ~216,000 rows into a day's worth.
import type { CheckCounts } from '../domain/uptime.js';
import type { Clock } from '../runtime/clock.js';
import { bucketStart } from '../domain/rollup-math.js';
import type { Store } from '../storage/store.js';
import type { Rollup, RollupCounts, RollupGranularity } from '../domain/rollup-math.js';
import type { DaySpan } from './local-days.js';
import { spanIndex } from './local-days.js';

/**
 * The store tells of the writes of this process only: what another process writes to the same database
 * shows after this long.
 */
export const PAST_DAYS_TTL_MS = 60 * 60_000;
/**
 * An hour is taken as finished this long after it ends: a check started just before the hour turned is
 * written when it completes (its timeout) and its batch is flushed, and it counts in the hour it started.
 */
export const HOUR_SETTLE_MS = 5 * 60_000;
/**
 * The hours not yet settled are kept too, and only the rows of the monitors that a commit wrote since
 * are read again, and a share of the others in turn: each at least this often, so that another
 * process's writes show.
 */
export const LIVE_HOURS_TTL_MS = 60_000;

/** The hours not settled yet of a set of monitors, as last read, by monitor. */
interface LiveHours {
  readonly settledBefore: number;
  readonly readAt: number;
  /** The store's rollup mark taken before the read. */
  readonly mark: number;
  /** How many monitors' rows are owed a read again (the fraction left over from the last read). */
  readonly owed: number;
  /** Where in the list of monitors the next ones to read again start. */
  readonly cursor: number;
  readonly byMonitor: ReadonlyMap<string, readonly Rollup[]>;
}

interface Entry<T> {
  /** The kept buckets start in [from, todayStart). */
  readonly todayStart: number;
  readonly from: number;
  readonly fetchedAt: number;
  /** The store's rollup mark taken before the read. */
  readonly mark: number;
  readonly value: T;
}

export class PastDaysCache {
  private readonly daily = new Map<string, Entry<readonly RollupCounts[]>>();
  private readonly local = new Map<string, Entry<ReadonlyMap<string, readonly CheckCounts[]>>>();
  private readonly hourly = new Map<string, Entry<readonly Rollup[]>>();
  private readonly liveHours = new Map<string, LiveHours>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ttlMs = PAST_DAYS_TTL_MS,
  ) {}

  private fresh<T>(entry: Entry<T> | undefined, granularity: RollupGranularity, todayStart: number, from: number, now: number): entry is Entry<T> {
    return entry !== undefined && entry.todayStart === todayStart && entry.from === from && this.unchanged(entry, granularity, now);
  }

  /** Young enough, and no kept bucket written since it was read. */
  private unchanged(entry: Entry<unknown>, granularity: RollupGranularity, now: number): boolean {
    return now - entry.fetchedAt <= this.ttlMs && !this.store.rollupWrites.writtenSince(entry.mark, granularity, entry.todayStart);
  }

  /**
   * Daily counts of these monitors with bucketStart in [from, now], by monitor: past days cached, today
   * summed from `hours`. Counts only (no latency histograms): what uptime bars and the 30- and 90-day
   * figures use. The finished days' lists are grouped once per fetch, not on every render.
   *
   * `hours` are these monitors' hourly rollups over (at least) the whole of today, as
   * hourlyRollupsByMonitor gives them for the last 24 hours: today's counts are summed from them
   * rather than read again (a day's rollup counts the same checks as its hours', written with them).
   */
  async dailyRollupsByMonitor(monitorIds: readonly string[], from: number, hours: ReadonlyMap<string, readonly RollupCounts[]>): Promise<ReadonlyMap<string, readonly RollupCounts[]>> {
    const now = this.clock.now();
    const todayStart = bucketStart(now, 'day');
    const key = monitorIds.join('\n');
    let entry = this.daily.get(key);
    if (!this.fresh(entry, 'day', todayStart, from, now)) {
      const mark = this.store.rollupWrites.mark();
      entry = { todayStart, from, fetchedAt: now, mark, value: await this.store.listRollupCountsForMonitors(monitorIds, 'day', from, todayStart) };
      remember(this.daily, key, entry);
    }
    return withLive(groupedOnce(entry.value), todayFromHours(hours, todayStart));
  }

  /**
   * Hourly rollups of these monitors with bucketStart in [from, now], by monitor: settled hours (ended
   * more than HOUR_SETTLE_MS ago) cached, the others kept until a commit writes them (see liveHoursOf).
   * For the last 24 hours of 100 monitors, checked every minute and rebuilt every 5 s, this reads the
   * live rows of about 17 monitors a render instead of 2,400 rows. The settled hours' lists are grouped
   * once per fetch.
   */
  async hourlyRollupsByMonitor(monitorIds: readonly string[], from: number): Promise<ReadonlyMap<string, readonly Rollup[]>> {
    const { past, live } = await this.hourlyParts(monitorIds, from);
    return withLive(groupedOnce(past), live);
  }

  private async hourlyParts(monitorIds: readonly string[], from: number): Promise<Parts<Rollup>> {
    const now = this.clock.now();
    const settledBefore = Math.max(from, bucketStart(now - HOUR_SETTLE_MS, 'hour'));
    const key = monitorIds.join('\n');
    const cached = this.hourly.get(key);
    let entry = cached;
    if (!this.fresh(entry, 'hour', settledBefore, from, now)) {
      const mark = this.store.rollupWrites.mark();
      entry =
        cached && this.unchanged(cached, 'hour', now) && settledBefore >= cached.todayStart && from >= cached.from
          ? await this.movedOn(cached, mark, monitorIds, from, settledBefore)
          : { todayStart: settledBefore, from, fetchedAt: now, mark, value: await this.store.listRollupsForMonitors(monitorIds, 'hour', from, settledBefore) };
      remember(this.hourly, key, entry);
    }
    return { past: entry.value, live: await this.liveHoursOf(key, monitorIds, settledBefore, now) };
  }

  /**
   * The rows of the hours not settled yet ([settledBefore, now]), by monitor: read whole the first time
   * and when an hour settles; in between, only the rows of the monitors whose hourly rows a commit wrote
   * since the last read (the store says which: about one in twelve for monitors checked every minute
   * and a page rebuilt every 5 s), and, in turn, a share of the others sized so that each is read again
   * at least every LIVE_HOURS_TTL_MS (what another process writes shows then) at an even cost per read.
   */
  private async liveHoursOf(key: string, monitorIds: readonly string[], settledBefore: number, now: number): Promise<ReadonlyMap<string, readonly Rollup[]>> {
    const mark = this.store.rollupWrites.mark();
    const kept = this.liveHours.get(key);
    const written = kept && kept.settledBefore === settledBefore ? this.store.rollupWrites.hourlyWrittenSince(kept.mark) : undefined;
    const owed = kept ? kept.owed + (monitorIds.length * Math.max(0, now - kept.readAt)) / LIVE_HOURS_TTL_MS : 0;
    let entry: LiveHours;
    if (kept && written && owed < monitorIds.length) {
      const due = Math.floor(owed);
      const read = new Set(monitorIds.filter((id) => written.has(id)));
      for (let i = 0; i < due; i++) read.add(monitorIds[(kept.cursor + i) % monitorIds.length]!);
      let byMonitor = kept.byMonitor;
      if (read.size > 0) {
        const rows = groupByMonitor(await this.store.listRollupsForMonitors([...read], 'hour', settledBefore, now + 1));
        const merged = new Map(kept.byMonitor);
        for (const id of read) merged.set(id, rows.get(id) ?? []);
        byMonitor = merged;
      }
      entry = { settledBefore, readAt: now, mark, owed: owed - due, cursor: (kept.cursor + due) % monitorIds.length, byMonitor };
    } else {
      const rows = await this.store.listRollupsForMonitors(monitorIds, 'hour', settledBefore, now + 1);
      entry = { settledBefore, readAt: now, mark, owed: 0, cursor: 0, byMonitor: groupByMonitor(rows) };
    }
    remember(this.liveHours, key, entry);
    return entry.byMonitor;
  }

  /**
   * The window moved on by an hour (the oldest hour left it, the one that ended 5 minutes ago settled)
   * and no kept hour was written since: only the newly settled hours are read, not the 23 others again
   * (2,400 rows with their histograms for 100 monitors, once or twice an hour). The entry keeps its
   * fetch time, so it is still read whole once it is older than the TTL; `mark` was taken before this read.
   */
  private async movedOn(entry: Entry<readonly Rollup[]>, mark: number, monitorIds: readonly string[], from: number, settledBefore: number): Promise<Entry<readonly Rollup[]>> {
    const added = settledBefore > entry.todayStart ? await this.store.listRollupsForMonitors(monitorIds, 'hour', entry.todayStart, settledBefore) : [];
    const kept = from > entry.from ? entry.value.filter((r) => r.bucketStart >= from) : entry.value;
    return { todayStart: settledBefore, from, fetchedAt: entry.fetchedAt, mark, value: [...kept, ...added] };
  }

  /**
   * Checks per local day (aligned with `spans`, the last one today) of each monitor, from hourly rollups
   * counted in the day their hour starts in: finished days cached as counts, today read live.
   */
  async localDayCounts(monitorIds: readonly string[], spans: readonly DaySpan[]): Promise<Map<string, CheckCounts[]>> {
    const now = this.clock.now();
    const today = spans.at(-1);
    const first = spans[0];
    if (!today || !first) return new Map();
    const key = monitorIds.join('\n');
    let entry = this.local.get(key);
    if (!this.fresh(entry, 'hour', today.start, first.start, now)) {
      const mark = this.store.rollupWrites.mark();
      const past = await this.store.listRollupsForMonitors(monitorIds, 'hour', first.start, today.start);
      entry = { todayStart: today.start, from: first.start, fetchedAt: now, mark, value: addCounts(new Map(), spans, past) };
      remember(this.local, key, entry);
    }
    const live = await this.store.listRollupsForMonitors(monitorIds, 'hour', today.start, now + 1);
    const counts = new Map([...entry.value].map(([id, days]) => [id, days.map((d) => ({ ...d }))] as const));
    return addCounts(counts, spans, live);
  }
}

interface Parts<T> {
  /** The cached rows (the same array until the entry is fetched again). */
  readonly past: readonly T[];
  /** The rows of the hours not settled yet, by monitor. */
  readonly live: ReadonlyMap<string, readonly T[]>;
}

/** Cached rows grouped by monitor, once per cached array (they are never changed). */
const groups = new WeakMap<readonly { readonly monitorId: string }[], ReadonlyMap<string, readonly { readonly monitorId: string }[]>>();

export function groupByMonitor<T extends { readonly monitorId: string }>(rows: readonly T[]): Map<string, T[]> {
  const byMonitor = new Map<string, T[]>();
  for (const row of rows) {
    const list = byMonitor.get(row.monitorId);
    if (list) list.push(row);
    else byMonitor.set(row.monitorId, [row]);
  }
  return byMonitor;
}

function groupedOnce<T extends { readonly monitorId: string }>(rows: readonly T[]): ReadonlyMap<string, readonly T[]> {
  let grouped = groups.get(rows) as ReadonlyMap<string, readonly T[]> | undefined;
  if (!grouped) groups.set(rows, (grouped = groupByMonitor(rows)));
  return grouped;
}

/** The cached groups with the live rows after them (each monitor's rows stay in bucket order). */
function withLive<T extends { readonly monitorId: string }>(past: ReadonlyMap<string, readonly T[]>, live: ReadonlyMap<string, readonly T[]>): ReadonlyMap<string, readonly T[]> {
  if (live.size === 0) return past;
  const merged = new Map(past);
  for (const [monitorId, rows] of live) if (rows.length > 0) merged.set(monitorId, (past.get(monitorId) ?? []).concat(rows));
  return merged;
}

/** Each monitor's counts of today (hours starting at or after todayStart), as one daily row. */
function todayFromHours(hours: ReadonlyMap<string, readonly RollupCounts[]>, todayStart: number): Map<string, RollupCounts[]> {
  const rows = new Map<string, RollupCounts[]>();
  for (const [monitorId, list] of hours) {
    let count = 0;
    let okCount = 0;
    for (const hour of list) {
      if (hour.bucketStart < todayStart) continue;
      count += hour.count;
      okCount += hour.okCount;
    }
    if (count > 0) rows.set(monitorId, [{ monitorId, bucketStart: todayStart, count, okCount }]);
  }
  return rows;
}

/**
 * One entry per distinct set of monitors: a handful of pages. Monitors added and removed at run time
 * make new sets, so the oldest entries go beyond MAX_ENTRIES instead of piling up.
 */
const MAX_ENTRIES = 32;
function remember<T>(entries: Map<string, T>, key: string, entry: T): void {
  entries.delete(key);
  entries.set(key, entry);
  while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
}

/** Adds each rollup's counts to its monitor's day (by the hour it starts in). */
export function addCounts(into: Map<string, CheckCounts[]>, spans: readonly DaySpan[], rollups: readonly Rollup[]): Map<string, CheckCounts[]> {
  for (const rollup of rollups) {
    const i = spanIndex(spans, rollup.bucketStart);
    if (i < 0) continue;
    let days = into.get(rollup.monitorId);
    if (!days) into.set(rollup.monitorId, (days = spans.map(() => ({ count: 0, okCount: 0 }))));
    const day = days[i]!;
    days[i] = { count: day.count + rollup.count, okCount: day.okCount + rollup.okCount };
  }
  return into;
}
