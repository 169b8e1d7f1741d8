// Which rollup buckets committed transactions touched, so a reader that keeps finished buckets (the
// status page's past days) can ask whether any of them was written since it read them: a late result,
// an agent's backlog, a prune. Writes to the current hour and day, nearly all of them, change nothing
// such a reader keeps, so it reads its finished days again only when one of them really changed.
import type { RollupGranularity } from '../domain/rollup-math.js';

/** A commit and the earliest bucket it wrote. */
interface Low {
  readonly seq: number;
  readonly bucketStart: number;
}

/**
 * Beyond this many low points (one a new hour makes, so six weeks' worth, or a backlog written oldest
 * first), the oldest are forgotten.
 */
const MAX_LOWS = 1_024;

export class RollupWrites {
  private seq = 0;
  /** Marks before this are answered "written" (their writes were forgotten, or everything went). */
  private floor = 0;
  /**
   * Per granularity, the commits whose earliest bucket no later commit went below: seq and bucketStart
   * both rise along the list, so the earliest bucket written after any mark is the first entry past it.
   */
  private readonly lows: Record<RollupGranularity, Low[]> = { hour: [], day: [] };

  /** Taken before a read: what was committed up to now. */
  mark(): number {
    return this.seq;
  }

  /** After a commit: the rollups it wrote. */
  written(rollups: Iterable<{ readonly granularity: RollupGranularity; readonly bucketStart: number }>): void {
    const earliest: Partial<Record<RollupGranularity, number>> = {};
    for (const { granularity, bucketStart } of rollups) earliest[granularity] = Math.min(earliest[granularity] ?? Infinity, bucketStart);
    if (earliest.hour === undefined && earliest.day === undefined) return;
    this.seq++;
    for (const granularity of ['hour', 'day'] as const) {
      const bucketStart = earliest[granularity];
      if (bucketStart !== undefined) this.push(this.lows[granularity], { seq: this.seq, bucketStart });
    }
  }

  /** After rows went some other way (a prune): every mark taken so far is answered "written". */
  everything(): void {
    this.seq++;
    this.floor = this.seq;
    this.lows.hour.length = 0;
    this.lows.day.length = 0;
  }

  /** True when a commit after `mark` wrote a `granularity` bucket that starts before `before`. */
  writtenSince(mark: number, granularity: RollupGranularity, before: number): boolean {
    if (mark < this.floor) return true;
    const first = this.lows[granularity].find((low) => low.seq > mark);
    return first !== undefined && first.bucketStart < before;
  }

  private push(lows: Low[], low: Low): void {
    while (lows.length > 0 && lows[lows.length - 1]!.bucketStart >= low.bucketStart) lows.pop();
    lows.push(low);
    if (lows.length > MAX_LOWS) this.floor = Math.max(this.floor, lows.shift()!.seq);
  }
}
