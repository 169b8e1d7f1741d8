// Uptime maths over rollups and incidents. Pure.

export interface CheckCounts {
  readonly count: number;
  readonly okCount: number;
}

export interface UptimeFigure {
  /** Fraction 0..1 of counted checks that passed; null when nothing was checked in the window. */
  readonly uptime: number | null;
  readonly checks: number;
  readonly okChecks: number;
}

export function uptimeOf(rows: readonly CheckCounts[]): UptimeFigure {
  let checks = 0;
  let okChecks = 0;
  for (const row of rows) {
    checks += row.count;
    okChecks += row.okCount;
  }
  return { uptime: checks === 0 ? null : okChecks / checks, checks, okChecks };
}

export interface Interval {
  readonly startedAt: number;
  /** Absent while still open. */
  readonly resolvedAt?: number;
}

/** The union of the intervals clipped to [from, to) (open ones run until `to`), as sorted disjoint segments. */
function segments(intervals: readonly Interval[], from: number, to: number): [number, number][] {
  const clipped = intervals
    .map((i) => [Math.max(i.startedAt, from), Math.min(i.resolvedAt ?? to, to)] as [number, number])
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of clipped) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/**
 * Milliseconds of [from, to) covered by the union of the intervals (open ones run until `to`), leaving
 * out what `excluded` covers (the times this checker was not running: no data, neither up nor down).
 */
export function coveredMs(intervals: readonly Interval[], from: number, to: number, excluded: readonly Interval[] = []): number {
  const holes = segments(excluded, from, to);
  let total = 0;
  for (const [start, end] of segments(intervals, from, to)) {
    total += end - start;
    for (const [holeStart, holeEnd] of holes) total -= Math.max(0, Math.min(end, holeEnd) - Math.max(start, holeStart));
  }
  return total;
}

export const UPTIME_WINDOWS = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000, '90d': 90 * 86_400_000 } as const;
export type UptimeWindow = keyof typeof UPTIME_WINDOWS;

/**
 * Where a window starts, aligned to the rollups it is read from: `24h` is the current UTC hour and the
 * 23 before it (hourly rollups), `7d`/`30d`/`90d` today and the days before it (daily rollups). So the
 * figure covers exactly the buckets it counts, and says so.
 */
export function windowBuckets(window: UptimeWindow, now: number): { granularity: 'hour' | 'day'; from: number } {
  const bucketMs = window === '24h' ? 3_600_000 : 86_400_000;
  const buckets = UPTIME_WINDOWS[window] / bucketMs;
  return { granularity: window === '24h' ? 'hour' : 'day', from: Math.floor(now / bucketMs) * bucketMs - (buckets - 1) * bucketMs };
}

export function isUptimeWindow(value: string): value is UptimeWindow {
  return Object.hasOwn(UPTIME_WINDOWS, value);
}
