// Calendar days in a page's time zone: uptime bars follow the days the page's readers live in, not
// UTC days. Pure (Intl only). A day is [start, end): 23 or 25 hours long when the clocks change.
import { zonedFormat } from './zoned-format.js';

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface DaySpan {
  /** Local midnight (or the first instant of the day when midnight does not exist), epoch ms. */
  readonly start: number;
  /** Start of the next local day. */
  readonly end: number;
}

const partsFormat = zonedFormat('en-US', { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' });

/** The wall clock in `timeZone` at `ms`, as if it were UTC (epoch ms of that wall time). */
function wallClock(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of partsFormat(timeZone).formatToParts(ms)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

const isUtc = (timeZone: string): boolean => timeZone === 'UTC' || timeZone === 'Etc/UTC' || timeZone === 'Etc/GMT' || timeZone === 'GMT';

/** The first instant whose local date is the wall-clock day starting at `wallMidnight` (epoch ms of that date at 00:00 "UTC"). */
function startOfWallDay(wallMidnight: number, timeZone: string): number {
  let t = wallMidnight - (wallClock(wallMidnight, timeZone) - wallMidnight);
  t -= wallClock(t, timeZone) - wallMidnight;
  // Where midnight does not exist (clocks jump at 00:00), t lands before the day: step forward to it.
  for (let i = 0; i < 4 && wallClock(t, timeZone) < wallMidnight; i++) t += HOUR_MS - (wallClock(t, timeZone) % HOUR_MS);
  while (wallClock(t - 60_000, timeZone) >= wallMidnight) t -= 60_000;
  return t;
}

/** The `days` local days ending with today (the day containing `now`), oldest first. */
export function localDays(now: number, timeZone: string, days: number): DaySpan[] {
  if (isUtc(timeZone)) {
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    return Array.from({ length: days }, (_, i) => {
      const start = today - (days - 1 - i) * DAY_MS;
      return { start, end: start + DAY_MS };
    });
  }
  const todayWall = Math.floor(wallClock(now, timeZone) / DAY_MS) * DAY_MS;
  const starts = Array.from({ length: days + 1 }, (_, i) => startOfWallDay(todayWall - (days - 1 - i) * DAY_MS, timeZone));
  return starts.slice(0, days).map((start, i) => ({ start, end: starts[i + 1]! }));
}

/** True when the spans are whole UTC days, so daily rollups (UTC days) can be read for them directly. */
export function areUtcDays(spans: readonly DaySpan[]): boolean {
  return spans.every((span) => span.start % DAY_MS === 0 && span.end - span.start === DAY_MS);
}

/**
 * Index of the span containing `ms`, or -1. Spans are sorted and contiguous. An hourly rollup is counted in
 * the day its hour starts in (exact for zones with whole-hour offsets; half-hour zones shift by 30 minutes).
 */
export function spanIndex(spans: readonly DaySpan[], ms: number): number {
  const first = spans[0];
  if (!first || ms < first.start || ms >= spans.at(-1)!.end) return -1;
  // Most spans are 24 h long: start from the estimate and step to the right one.
  let i = Math.min(spans.length - 1, Math.floor((ms - first.start) / DAY_MS));
  while (i > 0 && ms < spans[i]!.start) i--;
  while (i < spans.length - 1 && ms >= spans[i]!.end) i++;
  return i;
}
