// Pure rollup arithmetic: no database, no clock. Both backends merge rollups in JS with these.
import type { CheckResult } from './verdict.js';

export type RollupGranularity = 'hour' | 'day';

/**
 * Upper bounds (ms, inclusive) of the fixed latency histogram kept in rollups.
 * The last bucket counts everything above the last bound. Changing these needs a migration.
 */
export const LATENCY_BUCKETS_MS = [
  5, 10, 25, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000, 30000,
] as const;

/** Checks of one monitor in one UTC hour or day: of one vantage as stored, of all when read for a monitor. */
export interface Rollup {
  readonly monitorId: string;
  readonly granularity: RollupGranularity;
  /** Start of the UTC hour or day, epoch ms. */
  readonly bucketStart: number;
  /** Checks counted (maintenance and inconclusive checks are not). */
  readonly count: number;
  readonly okCount: number;
  readonly degradedCount: number;
  readonly latencyMinMs: number;
  readonly latencyMaxMs: number;
  readonly latencySumMs: number;
  /** LATENCY_BUCKETS_MS.length + 1 counters. */
  readonly histogram: readonly number[];
}

/** A bucket's counts without its latency figures: what uptime (bars, 30 and 90 days) needs. A Rollup is one. */
export interface RollupCounts {
  readonly monitorId: string;
  readonly bucketStart: number;
  readonly count: number;
  readonly okCount: number;
}

const BUCKET_SIZE_MS: Readonly<Record<RollupGranularity, number>> = {
  hour: 3_600_000,
  day: 86_400_000,
};

/** Start of the UTC hour or day containing `ms` (epoch ms). */
export function bucketStart(ms: number, granularity: RollupGranularity): number {
  const size = BUCKET_SIZE_MS[granularity];
  return Math.floor(ms / size) * size;
}

/** A rollup with nothing counted; min/max are 0 until the first check is added. */
export function emptyRollup(monitorId: string, granularity: RollupGranularity, start: number): Rollup {
  return {
    monitorId,
    granularity,
    bucketStart: start,
    count: 0,
    okCount: 0,
    degradedCount: 0,
    latencyMinMs: 0,
    latencyMaxMs: 0,
    latencySumMs: 0,
    histogram: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0),
  };
}

/** Index of the histogram bucket for a latency: the first bound it does not exceed, else the open last bucket. */
export function histogramIndex(latencyMs: number): number {
  const index = LATENCY_BUCKETS_MS.findIndex((bound) => latencyMs <= bound);
  return index === -1 ? LATENCY_BUCKETS_MS.length : index;
}

/**
 * Counts one result into a rollup. Maintenance and inconclusive results are not counted (the rollup
 * comes back unchanged); degraded results count as ok and as degraded.
 */
export function addToRollup(rollup: Rollup, result: CheckResult): Rollup {
  if (result.maintenance || result.inconclusive) return rollup;
  const histogram = [...rollup.histogram];
  const index = histogramIndex(result.latencyMs);
  histogram[index] = (histogram[index] ?? 0) + 1;
  const first = rollup.count === 0;
  return {
    ...rollup,
    count: rollup.count + 1,
    okCount: rollup.okCount + (result.ok || result.degraded ? 1 : 0),
    degradedCount: rollup.degradedCount + (result.degraded ? 1 : 0),
    latencyMinMs: first ? result.latencyMs : Math.min(rollup.latencyMinMs, result.latencyMs),
    latencyMaxMs: first ? result.latencyMs : Math.max(rollup.latencyMaxMs, result.latencyMs),
    latencySumMs: rollup.latencySumMs + result.latencyMs,
    histogram,
  };
}

/**
 * Counts several results into a rollup at once: what addToRollup does one by one, with one copy of the
 * rollup instead of one per result (a batch adds to every series' current hour and day).
 */
export function addAllToRollup(rollup: Rollup, results: readonly CheckResult[]): Rollup {
  const histogram = [...rollup.histogram];
  let { count, okCount, degradedCount, latencyMinMs, latencyMaxMs, latencySumMs } = rollup;
  for (const result of results) {
    if (result.maintenance || result.inconclusive) continue;
    const index = histogramIndex(result.latencyMs);
    histogram[index] = (histogram[index] ?? 0) + 1;
    latencyMinMs = count === 0 ? result.latencyMs : Math.min(latencyMinMs, result.latencyMs);
    latencyMaxMs = count === 0 ? result.latencyMs : Math.max(latencyMaxMs, result.latencyMs);
    count += 1;
    okCount += result.ok || result.degraded ? 1 : 0;
    degradedCount += result.degraded ? 1 : 0;
    latencySumMs += result.latencyMs;
  }
  return count === rollup.count ? rollup : { ...rollup, count, okCount, degradedCount, latencyMinMs, latencyMaxMs, latencySumMs, histogram };
}

/** Combines two rollups of the same monitor, granularity and bucket. */
export function mergeRollups(a: Rollup, b: Rollup): Rollup {
  if (a.monitorId !== b.monitorId || a.granularity !== b.granularity || a.bucketStart !== b.bucketStart) {
    throw new RangeError(
      `cannot merge rollups of different buckets: ${a.monitorId}/${a.granularity}/${a.bucketStart} and ${b.monitorId}/${b.granularity}/${b.bucketStart}`,
    );
  }
  if (b.count === 0) return a;
  if (a.count === 0) return b;
  const length = Math.max(a.histogram.length, b.histogram.length);
  return {
    ...a,
    count: a.count + b.count,
    okCount: a.okCount + b.okCount,
    degradedCount: a.degradedCount + b.degradedCount,
    latencyMinMs: Math.min(a.latencyMinMs, b.latencyMinMs),
    latencyMaxMs: Math.max(a.latencyMaxMs, b.latencyMaxMs),
    latencySumMs: a.latencySumMs + b.latencySumMs,
    histogram: Array.from({ length }, (_, i) => (a.histogram[i] ?? 0) + (b.histogram[i] ?? 0)),
  };
}

/**
 * The p-th percentile (0 < p <= 100) read from a latency histogram: the upper bound of the bucket
 * holding the p-th percentile check. For the open last bucket there is no upper bound, so it is
 * `maxLatencyMs` (the rollup's latencyMaxMs) when given, else the last finite bound.
 * NaN when the histogram counts nothing.
 */
export function percentileFromHistogram(histogram: readonly number[], p: number, maxLatencyMs?: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const total = histogram.reduce((sum, n) => sum + n, 0);
  if (total === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * total);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i] ?? 0;
    if (seen >= rank) {
      const bound = LATENCY_BUCKETS_MS[i];
      if (bound !== undefined) return bound;
      break;
    }
  }
  return maxLatencyMs ?? LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]!;
}
