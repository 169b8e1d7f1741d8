// The agent's buffer of observations not yet acknowledged by the hub: append-only segment files of
// JSON lines in the data directory, bounded in bytes. Read oldest first; acknowledged lines are
// skipped (the read position is kept in cursor.json) and a segment is deleted once all of it is
// acknowledged. When the bound is reached the oldest segment goes, and its lines are counted as
// dropped. A crash between a send and its acknowledgement means those lines are sent again: the hub
// takes a resend as a duplicate, so nothing is stored twice.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Observation } from '../domain/observation.js';

export interface DiskBufferOptions {
  readonly dir: string;
  /** Most bytes kept on disk (and in memory); the oldest segment is dropped beyond it. */
  readonly maxBytes: number;
  /** Told how many observations were dropped each time the bound is reached. */
  onDropped?(count: number): void;
}

interface Segment {
  readonly seq: number;
  readonly lines: string[];
  bytes: number;
  /** Ends in a torn line (a crash mid-write): appending to it would glue the next line to the torn one. */
  readonly sealed?: boolean;
}

interface Cursor {
  /** The segment being read, and how many of its lines are acknowledged. */
  readonly seq: number;
  readonly line: number;
  /** Observations dropped from a full buffer, ever. */
  readonly dropped: number;
}

const SEGMENT = /^(\d{12})\.jsonl$/;
const MIN_SEGMENT_BYTES = 4 * 1024;

/** Holds observations by default; any JSON-safe entries (the agent's provenance snapshots) alike. */
export class DiskBuffer<T = Observation> {
  private readonly segments: Segment[] = [];
  private readonly segmentBytes: number;
  private acked = 0;
  private droppedTotal = 0;

  constructor(private readonly options: DiskBufferOptions) {
    // Eight segments: the oldest eighth goes when the buffer is full, not all of it.
    this.segmentBytes = Math.max(MIN_SEGMENT_BYTES, Math.floor(options.maxBytes / 8));
    mkdirSync(options.dir, { recursive: true });
    this.load();
  }

  /** Observations waiting to be acknowledged. */
  get size(): number {
    return this.segments.reduce((sum, segment) => sum + segment.lines.length, 0) - this.acked;
  }

  get bytes(): number {
    return this.segments.reduce((sum, segment) => sum + segment.bytes, 0);
  }

  /** Observations dropped from a full buffer since the buffer was first made. */
  get dropped(): number {
    return this.droppedTotal;
  }

  append(observations: readonly T[]): void {
    if (observations.length === 0) return;
    let tail = this.segments.at(-1);
    if (!tail || tail.sealed || tail.bytes >= this.segmentBytes) tail = this.newSegment();
    const lines = observations.map((observation) => JSON.stringify(observation));
    const text = `${lines.join('\n')}\n`;
    appendFileSync(this.pathOf(tail.seq), text);
    tail.lines.push(...lines);
    tail.bytes += Buffer.byteLength(text);
    this.enforceBound();
  }

  /** Up to `max` of the oldest unacknowledged observations, in the order they were appended. */
  peek(max: number): T[] {
    const out: T[] = [];
    let skip = this.acked;
    for (const segment of this.segments) {
      for (let i = skip; i < segment.lines.length && out.length < max; i++) out.push(JSON.parse(segment.lines[i]!) as T);
      skip = 0;
      if (out.length >= max) break;
    }
    return out;
  }

  /** The oldest `count` observations were acknowledged: never sent again. */
  ack(count: number): void {
    let left = count;
    while (left > 0 && this.segments.length > 0) {
      const head = this.segments[0]!;
      const take = Math.min(left, head.lines.length - this.acked);
      this.acked += take;
      left -= take;
      // The tail stays while it is being written to; a head fully read is deleted.
      if (this.acked === head.lines.length && this.segments.length > 1) {
        this.segments.shift();
        rmSync(this.pathOf(head.seq), { force: true });
        this.acked = 0;
      } else break;
    }
    this.saveCursor();
  }

  private load(): void {
    const cursor = this.readCursor();
    this.droppedTotal = cursor?.dropped ?? 0;
    const seqs = readdirSync(this.options.dir)
      .map((name) => SEGMENT.exec(name)?.[1])
      .filter((seq): seq is string => seq !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    for (const seq of seqs) {
      if (cursor && seq < cursor.seq) {
        // Wholly acknowledged before a crash, not yet deleted.
        rmSync(this.pathOf(seq), { force: true });
        continue;
      }
      const text = readFileSync(this.pathOf(seq), 'utf8');
      // A line cut short by a crash in the middle of a write is the only kind that fails to parse.
      const lines = text.split('\n').filter((line) => line !== '' && isJson(line));
      this.segments.push({ seq, lines, bytes: Buffer.byteLength(text), ...(text !== '' && !text.endsWith('\n') ? { sealed: true } : {}) });
    }
    const head = this.segments[0];
    this.acked = head && cursor && cursor.seq === head.seq ? Math.min(cursor.line, head.lines.length) : 0;
  }

  private newSegment(): Segment {
    const seq = (this.segments.at(-1)?.seq ?? this.readCursor()?.seq ?? 0) + 1;
    const segment: Segment = { seq, lines: [], bytes: 0 };
    this.segments.push(segment);
    return segment;
  }

  private enforceBound(): void {
    let dropped = 0;
    while (this.bytes > this.options.maxBytes && this.segments.length > 1) {
      const oldest = this.segments.shift()!;
      dropped += oldest.lines.length - this.acked;
      this.acked = 0;
      rmSync(this.pathOf(oldest.seq), { force: true });
    }
    if (dropped === 0) return;
    this.droppedTotal += dropped;
    this.saveCursor();
    this.options.onDropped?.(dropped);
  }

  private pathOf(seq: number): string {
    return join(this.options.dir, `${String(seq).padStart(12, '0')}.jsonl`);
  }

  private readCursor(): Cursor | undefined {
    try {
      const cursor = JSON.parse(readFileSync(join(this.options.dir, 'cursor.json'), 'utf8')) as Cursor;
      return Number.isSafeInteger(cursor.seq) && Number.isSafeInteger(cursor.line) ? cursor : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return undefined;
      throw error;
    }
  }

  private saveCursor(): void {
    const head = this.segments[0];
    const cursor: Cursor = { seq: head?.seq ?? this.readCursor()?.seq ?? 0, line: head ? this.acked : 0, dropped: this.droppedTotal };
    const path = join(this.options.dir, 'cursor.json');
    // Written aside and renamed, so a crash leaves the old cursor or the new one, never half of one.
    writeFileSync(`${path}.tmp`, JSON.stringify(cursor));
    renameSync(`${path}.tmp`, path);
  }
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    // A torn last line: dropped, as it was never acknowledged it is only lost if the crash lost it.
    return false;
  }
}
