// Which rollup buckets committed transactions touched, so a reader that keeps finished buckets (the
// status page's past days) can ask whether any of them was written since it read them: a late result,
// an agent's backlog, a prune. Writes to the current hour and day, nearly all of them, change nothing
// such a reader keeps, so it reads its finished days again only when one of them really changed.
// It also says which monitors' hourly rows the latest commits wrote, so a reader that keeps the current
// hours too reads again only the rows of the monitors checked since.
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
/**
 * Commits whose monitors are remembered (a hub commits about once a second; a page viewed is rebuilt
 * every 5 s at most): a reader that last read more commits ago than this reads everything again.
 */
const MAX_COMMITS = 30;

export class RollupWrites {
  private seq = 0;
  /** Marks before this are answered "written" (their writes were forgotten, or everything went). */
  private floor = 0;
  /**
   * Per granularity, the commits whose earliest bucket no later commit went below: seq and bucketStart
   * both rise along the list, so the earliest bucket written after any mark is the first entry past it.
   */
  private readonly lows: Record<RollupGranularity, Low[]> = { hour: [], day: [] };
  /** The latest commits that wrote hourly rows, oldest first: seq and the monitors whose rows they wrote. */
  private readonly hourly: { readonly seq: number; readonly monitors: ReadonlySet<string> }[] = [];
  /** The latest commit dropped from `hourly`: marks before it are answered "not known". */
  private hourlyForgotten = 0;

  /** Taken before a read: what was committed up to now. */
  mark(): number {
    return this.seq;
  }

  /** After a commit: the rollups it wrote. */
  written(rollups: Iterable<{ readonly monitorId: string; readonly granularity: RollupGranularity; readonly bucketStart: number }>): void {
    const earliest: Partial<Record<RollupGranularity, number>> = {};
    const monitors = new Set<string>();
    for (const { monitorId, granularity, bucketStart } of rollups) {
      earliest[granularity] = Math.min(earliest[granularity] ?? Infinity, bucketStart);
      if (granularity === 'hour') monitors.add(monitorId);
    }
    if (earliest.hour === undefined && earliest.day === undefined) return;
    this.seq++;
    if (monitors.size > 0) {
      this.hourly.push({ seq: this.seq, monitors });
      if (this.hourly.length > MAX_COMMITS) this.hourlyForgotten = this.hourly.shift()!.seq;
    }
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
    this.hourly.length = 0;
  }

  /** True when a commit after `mark` wrote a `granularity` bucket that starts before `before`. */
  writtenSince(mark: number, granularity: RollupGranularity, before: number): boolean {
    if (mark < this.floor) return true;
    const first = this.lows[granularity].find((low) => low.seq > mark);
    return first !== undefined && first.bucketStart < before;
  }

  /**
   * The monitors whose hourly rows (any hour) commits after `mark` wrote; undefined when that is no
   * longer known (the mark is older than the commits remembered, or everything went since).
   */
  hourlyWrittenSince(mark: number): ReadonlySet<string> | undefined {
    if (mark < this.floor || mark < this.hourlyForgotten) return undefined;
    const monitors = new Set<string>();
    for (let i = this.hourly.length - 1; i >= 0 && this.hourly[i]!.seq > mark; i--) for (const id of this.hourly[i]!.monitors) monitors.add(id);
    return monitors;
  }

  private push(lows: Low[], low: Low): void {
    while (lows.length > 0 && lows[lows.length - 1]!.bucketStart >= low.bucketStart) lows.pop();
    lows.push(low);
    if (lows.length > MAX_LOWS) this.floor = Math.max(this.floor, lows.shift()!.seq);
  }
}
