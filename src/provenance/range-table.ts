// Address ranges in typed arrays, sorted by start, searched by bisection: the IPv4 table keeps one
// 32-bit word per bound, the IPv6 table four (most significant first). Each range carries one 32-bit
// value (an ASN, a country code). The published files hold some nested or overlapping ranges (a
// smaller block inside a larger one, listed after it); the range that starts last before an address
// wins, and each range keeps its `parent`, the nearest earlier range still open where it starts, so
// an address past a nested block falls back to the block around it in a few steps. Pure.

export interface RangeTable {
  readonly count: number;
  /** 1 word per bound for IPv4, 4 for IPv6. */
  readonly width: 1 | 4;
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  /** Per range, the index of the earlier range it lies in (or overlaps), -1 for none. */
  readonly parents: Int32Array;
  /** Per value k of an address's top 16 bits, the first range whose start has top bits >= k (65,537 entries). */
  readonly buckets: Uint32Array;
}

const BUCKETS = 0x10000;

function buildBuckets(starts: Uint32Array, count: number, width: number): Uint32Array {
  const buckets = new Uint32Array(BUCKETS + 1);
  let row = 0;
  for (let key = 0; key <= BUCKETS; key++) {
    while (row < count && starts[row * width]! >>> 16 < key) row++;
    buckets[key] = row;
  }
  return buckets;
}

/** Compares the address `words` with the bound at `index` of `bounds`: <0, 0, >0. */
function compareAt(bounds: Uint32Array, index: number, width: number, words: ArrayLike<number>): number {
  const base = index * width;
  for (let w = 0; w < width; w++) {
    const difference = words[w]! - bounds[base + w]!;
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Compares bound `ai` of `a` with bound `bi` of `b`. */
function compareBounds(a: Uint32Array, ai: number, b: Uint32Array, bi: number, width: number): number {
  for (let w = 0; w < width; w++) {
    const difference = a[ai * width + w]! - b[bi * width + w]!;
    if (difference !== 0) return difference;
  }
  return 0;
}

/** The index of the range holding the address (its `width` words), or -1. */
export function findRange(table: RangeTable, words: ArrayLike<number>): number {
  // The last range starting at or before the address: within its top-16-bit bucket, else the last before it.
  const key = words[0]! >>> 16;
  let low = table.buckets[key]!;
  let high = table.buckets[key + 1]! - 1;
  let found = low - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (compareAt(table.starts, middle, table.width, words) >= 0) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  while (found >= 0 && compareAt(table.ends, found, table.width, words) > 0) found = table.parents[found]!;
  return found;
}

/** IPv4 fast path: one word, no inner loop. */
export function findIpv4Range(table: RangeTable, address: number): number {
  const starts = table.starts;
  const key = address >>> 16;
  let low = table.buckets[key]!;
  let high = table.buckets[key + 1]! - 1;
  let found = low - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (starts[middle]! <= address) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  while (found >= 0 && table.ends[found]! < address) found = table.parents[found]!;
  return found;
}

/** Fills a table row by row; `add` refuses ranges that are reversed or start before the previous one. */
export class RangeTableBuilder {
  private count = 0;
  private starts: Uint32Array;
  private ends: Uint32Array;
  private parents: Int32Array;
  private valuesArray: Uint32Array;
  /** Ranges still open at the last start, innermost last. */
  private readonly open: number[] = [];

  constructor(
    readonly width: 1 | 4,
    capacity: number,
  ) {
    const rows = Math.max(1, capacity);
    this.starts = new Uint32Array(rows * width);
    this.ends = new Uint32Array(rows * width);
    this.parents = new Int32Array(rows);
    this.valuesArray = new Uint32Array(rows);
  }

  /** Rows added so far. */
  get size(): number {
    return this.count;
  }

  /** Adds a row whose bounds are `width` words each at start[0..] and end[0..]; returns why it was refused, if it was. */
  add(start: ArrayLike<number>, end: ArrayLike<number>, value: number): string | undefined {
    this.reserve();
    const index = this.count;
    const base = index * this.width;
    for (let w = 0; w < this.width; w++) {
      this.starts[base + w] = start[w]!;
      this.ends[base + w] = end[w]!;
    }
    const width = this.width;
    if (compareBounds(this.ends, index, this.starts, index, width) < 0) return 'range ends before it starts';
    if (index > 0 && compareBounds(this.starts, index - 1, this.starts, index, width) > 0) {
      return 'range starts before the previous one (the file must be sorted by start)';
    }
    const open = this.open;
    while (open.length > 0 && compareBounds(this.ends, open[open.length - 1]!, this.starts, index, width) < 0) open.pop();
    this.parents[index] = open.length > 0 ? open[open.length - 1]! : -1;
    open.push(index);
    this.valuesArray[index] = value;
    this.count++;
    return undefined;
  }

  build(): { table: RangeTable; values: Uint32Array } {
    const count = this.count;
    const width = this.width;
    // Views, not copies: the capacity was estimated from the file's line count, so little is left over.
    const starts = this.starts.subarray(0, count * width);
    return {
      table: {
        count,
        width,
        starts,
        buckets: buildBuckets(starts, count, width),
        ends: this.ends.subarray(0, count * width),
        parents: this.parents.subarray(0, count),
      },
      values: this.valuesArray.subarray(0, count),
    };
  }

  private reserve(): void {
    if (this.count < this.valuesArray.length) return;
    const rows = this.valuesArray.length * 2;
    const grow = <T extends Uint32Array | Int32Array>(array: T, size: number): T => {
      const bigger = new (array.constructor as new (size: number) => T)(size);
      bigger.set(array);
      return bigger;
    };
    this.starts = grow(this.starts, rows * this.width);
    this.ends = grow(this.ends, rows * this.width);
    this.parents = grow(this.parents, rows);
    this.valuesArray = grow(this.valuesArray, rows);
  }
}
