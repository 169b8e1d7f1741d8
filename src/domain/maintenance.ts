// Which maintenance window, if any, covers a moment. Pure: the moment is passed in.

import { CronExpressionParser } from 'cron-parser';
import type { MaintenanceWindow } from './monitor.js';

/** The first window that covers `now` (epoch ms), or undefined. Fixed windows are [startAt, endAt). */
export function activeMaintenance(windows: readonly MaintenanceWindow[], now: number): MaintenanceWindow | undefined {
  return windows.find((window) => covers(window, now));
}

function covers(window: MaintenanceWindow, now: number): boolean {
  if (window.kind === 'fixed') return window.startAt <= now && now < window.endAt;
  const lastStart = lastCronFireAtOrBefore(window.cron, window.timezone, now);
  return lastStart !== undefined && now < lastStart + window.durationMs;
}

/** The latest fire time of a cron expression at or before `now`, read in `timezone`. */
export function lastCronFireAtOrBefore(cron: string, timezone: string, now: number): number | undefined {
  // prev() is strictly before currentDate; one millisecond later makes a fire exactly at `now` count.
  const schedule = CronExpressionParser.parse(cron, { currentDate: new Date(now + 1), tz: timezone });
  if (!schedule.hasPrev()) return undefined;
  return schedule.prev().getTime();
}

export interface MaintenanceOccurrence {
  readonly start: number;
  readonly end: number;
  readonly title?: string;
}

/** The occurrences of a window that overlap [from, to), oldest first, at most `limit`. */
export function maintenanceOccurrences(window: MaintenanceWindow, from: number, to: number, limit = 20): MaintenanceOccurrence[] {
  const title = window.title !== undefined ? { title: window.title } : {};
  if (window.kind === 'fixed') return window.startAt < to && window.endAt > from ? [{ start: window.startAt, end: window.endAt, ...title }] : [];
  // One started up to a duration before `from` may still be running at `from`.
  const schedule = CronExpressionParser.parse(window.cron, { currentDate: new Date(from - window.durationMs), tz: window.timezone });
  const found: MaintenanceOccurrence[] = [];
  while (found.length < limit && schedule.hasNext()) {
    const start = schedule.next().getTime();
    if (start >= to) break;
    if (start + window.durationMs > from) found.push({ start, end: start + window.durationMs, ...title });
  }
  return found;
}
