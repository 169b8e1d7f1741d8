// Durations in the config are strings like "500ms", "30s", "1h30m": units largest first, each at most once.
// Bare numbers are refused on purpose: "interval: 30" could mean seconds or milliseconds.

const UNIT_MS = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;
const UNIT_ORDER: readonly Unit[] = ['w', 'd', 'h', 'm', 's', 'ms'];

const PART = /(\d+)(ms|w|d|h|m|s)/y;

/** Milliseconds for a duration string, or undefined when the text is not one. "0s" parses to 0. */
export function parseDuration(text: string): number | undefined {
  if (text.length === 0) return undefined;
  let totalMs = 0;
  let lastUnitIndex = -1;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (!match) return undefined;
    const unit = match[2] as Unit;
    const unitIndex = UNIT_ORDER.indexOf(unit);
    if (unitIndex <= lastUnitIndex) return undefined;
    lastUnitIndex = unitIndex;
    totalMs += Number(match[1]) * UNIT_MS[unit];
  }
  return Number.isSafeInteger(totalMs) ? totalMs : undefined;
}

/** The shortest exact duration string for a number of milliseconds, e.g. 5400000 → "1h30m". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let text = '';
  for (const unit of UNIT_ORDER) {
    const count = Math.floor(rest / UNIT_MS[unit]);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * UNIT_MS[unit];
    }
  }
  return text;
}
