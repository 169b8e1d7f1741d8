// Times, durations, percentages and latencies as people read them. Times are shown in the page's
// time zone with the zone named ("10 Mar 2026, 11:00 CET").
import { zonedFormat } from '../read/zoned-format.js';

const dayFormat = zonedFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const dateTimeFormat = zonedFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
});

export interface TimeFormat {
  readonly timeZone: string;
  /** "10 Mar 2026, 11:00 CET". */
  dateTime(ms: number): string;
  /** "CET" or "GMT+1": the zone's short name at that time. */
  zoneName(ms: number): string;
}

export function timeFormat(timeZone: string): TimeFormat {
  const format = dateTimeFormat(timeZone);
  return {
    timeZone,
    dateTime: (ms) => format.format(ms),
    zoneName: (ms) => format.formatToParts(ms).find((part) => part.type === 'timeZoneName')?.value ?? timeZone,
  };
}

const dayNames = new Map<string, string>();

/** The calendar day of `ms` in `timeZone`: "10 Mar 2026". Memoised: pages name the same 90 days often. */
export function formatDay(ms: number, timeZone = 'UTC'): string {
  const key = `${timeZone} ${ms}`;
  let name = dayNames.get(key);
  if (name === undefined) {
    if (dayNames.size > 4096) dayNames.clear();
    name = dayFormat(timeZone).format(ms);
    dayNames.set(key, name);
  }
  return name;
}

export const isoTime = (ms: number): string => new Date(ms).toISOString();

/** "45 s", "12 min", "2 h 5 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** Whole minutes of downtime, rounded up so that any downtime shows. */
export function downtimeMinutes(ms: number): number {
  return Math.ceil(ms / 60_000);
}

/**
 * Uptime as a percentage with two decimals, truncated: 99.999% reads "99.99%", never "100%",
 * so 100% always means no failed check. "No data" without checks.
 */
export function formatUptime(fraction: number | null): string {
  if (fraction === null) return 'No data';
  if (fraction >= 1) return '100%';
  // Truncated (never rounded up to 100%), on integers: 0.57 * 10_000 is 5699.999..., not 5700.
  const hundredths = Math.floor(Math.round(fraction * 1_000_000) / 100);
  return `${(hundredths / 100).toFixed(2)}%`;
}

/** "87 ms", "1.24 s". */
export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
