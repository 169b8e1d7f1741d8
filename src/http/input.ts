// What ids, slugs and cursors in a URL may look like, checked by the route schemas before any query:
// anything else (a NUL byte, a quote, 10 KB of text) is a 400 problem and never reaches storage.

/** Monitor ids and status page slugs, as the config allows them. */
export const CONFIG_ID_PATTERN = '^[a-z0-9-]{1,64}$';
/** Incident and result ids (ULIDs as Candor makes them; a little wider so imported ids fit), and cursors, which are such ids. */
export const RECORD_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$';

export const monitorIdSchema = { type: 'string', pattern: CONFIG_ID_PATTERN, description: 'Monitor id: a-z, 0-9 and -, 1 to 64 characters' } as const;
export const slugSchema = { type: 'string', pattern: CONFIG_ID_PATTERN, description: 'Status page slug' } as const;
export const recordIdSchema = { type: 'string', pattern: RECORD_ID_PATTERN, description: 'Incident or result id' } as const;
export const cursorSchema = { type: 'string', pattern: RECORD_ID_PATTERN, description: 'Cursor: the `nextBefore` of the previous page' } as const;

const DATE_PREFIX = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/;

/** False for a date that is not in the calendar (Feb 30, month 13) or a time past 23:59, which Date.parse would roll over. */
export function calendarDateExists(text: string): boolean {
  const match = DATE_PREFIX.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute] = match.slice(1, 6).map((part) => Number(part ?? 0)) as [number, number, number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  return calendar.getUTCFullYear() === year && calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day && hour <= 23 && minute <= 59;
}
