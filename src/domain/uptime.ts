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

/** Milliseconds of [from, to) covered by the union of the intervals (open ones run until `to`). */
export function coveredMs(intervals: readonly Interval[], from: number, to: number): number {
  const clipped = intervals
    .map((i) => [Math.max(i.startedAt, from), Math.min(i.resolvedAt ?? to, to)] as const)
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let cursorEnd = -Infinity;
  for (const [start, end] of clipped) {
    if (end <= cursorEnd) continue;
    total += end - Math.max(start, cursorEnd);
    cursorEnd = end;
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
