// 90 days of uptime as bars: one per day of the page's time zone, coloured by that day's uptime, each
// with a tooltip (date, uptime, downtime, incidents). Screen readers get a summary and the list of
// imperfect days; the script makes the bars one keyboard stop (arrow keys read each day) and lets a tap
// show a day's details on touch screens; without it the monitor page has every day as a table row.
import type { DayUptime } from '../read/status-page.js';
import { downtimeMinutes, formatDay, formatUptime, plural } from './format.js';
import { escapeHtml, html, trusted, type Html } from './html.js';

export type BarTone = 'ok' | 'warn' | 'partial' | 'down' | 'none';

/** 100% without downtime is ok; under 99% partial; under 95% down; anything in between warn. */
export function barTone(day: DayUptime): BarTone {
  if (day.uptime === null) return day.downtimeMs > 0 ? 'down' : 'none';
  if (day.uptime >= 1 && day.downtimeMs === 0) return 'ok';
  if (day.uptime >= 0.99) return 'warn';
  if (day.uptime >= 0.95) return 'partial';
  return 'down';
}

/** "10 Mar 2026: 99.52% uptime, 7 min down, 1 incident (API is down)". */
export function dayLabel(day: DayUptime, timeZone = 'UTC'): string {
  const parts = [`${formatDay(day.start, timeZone)}: ${day.uptime === null ? 'no data' : `${formatUptime(day.uptime)} uptime`}`];
  if (day.downtimeMs > 0) parts.push(`${downtimeMinutes(day.downtimeMs)} min down`);
  if (day.incidents.length > 0) parts.push(`${plural(day.incidents.length, 'incident')} (${day.incidents.map((i) => i.title).join('; ')})`);
  return parts.join(', ');
}

/**
 * One bar's markup, memoised: a finished day's figures do not change, so of a page's 9,000 bars only
 * the days that changed (today, mostly) are formatted again. Bounded: cleared when it grows past a
 * few pages' worth.
 */
const cells = new Map<string, string>();
/** Most days are plain (100% or no data, nothing down): those are found by zone and day alone. */
const plainCells = new Map<string, Map<number, string>>();
const MAX_CELLS = 100_000;

function cellMarkup(day: DayUptime, timeZone: string): string {
  // A short HTML element per day (the title is its tooltip): half the bytes of an SVG rect with a <title>.
  // Most days are perfect, so a bar without a class is one (the stylesheet colours it): 9,000 bars on a
  // page of 100 monitors, each byte of them is 9 KB to build, hash and compress on every render.
  const tone = barTone(day);
  return `<i${tone === 'ok' ? '' : ` class="u-${tone}"`} title="${escapeHtml(dayLabel(day, timeZone))}"></i>`;
}

function dayCell(day: DayUptime, timeZone: string): string {
  if (day.downtimeMs === 0 && day.incidents.length === 0 && (day.uptime === null || day.uptime >= 1)) {
    // Keyed by zone and by start, negative for days without data.
    const key = day.uptime === null ? -day.start - 1 : day.start;
    let byDay = plainCells.get(timeZone);
    if (!byDay) plainCells.set(timeZone, (byDay = new Map()));
    let cell = byDay.get(key);
    if (cell === undefined) {
      if (byDay.size >= MAX_CELLS) byDay.clear();
      byDay.set(key, (cell = cellMarkup(day, timeZone)));
    }
    return cell;
  }
  let key = `${timeZone}\u0000${day.start}\u0000${day.checks}\u0000${day.okChecks}\u0000${day.downtimeMs}`;
  for (const incident of day.incidents) key += `\u0000${incident.id}\u0001${incident.title}`;
  let cell = cells.get(key);
  if (cell === undefined) {
    if (cells.size >= MAX_CELLS) cells.clear();
    cells.set(key, (cell = cellMarkup(day, timeZone)));
  }
  return cell;
}

/** The bars of all days but the last, with their counts, as made for these very day objects. */
interface Strip {
  readonly timeZone: string;
  readonly days: readonly DayUptime[];
  readonly bars: string;
  readonly perfect: number;
  readonly noData: number;
  readonly troubled: readonly DayUptime[];
}

/**
 * Strips by the caller's key (a monitor on a page). Days are immutable and a day nothing changed is the
 * same object from one render to the next (status-page.ts plainDay), so a strip whose day objects are
 * all the ones it was made from is reused as is: only today's bar is made again. The key only finds
 * the candidate; the identity of every day decides. Bounded by the characters kept.
 */
const strips = new Map<string, Strip>();
/** Characters of markup kept, about 8 MB at most (2,000 monitors' strips of 90 days). */
const MAX_STRIP_CHARS = 8_000_000;
let stripChars = 0;

function stripOf(days: readonly DayUptime[], timeZone: string): Strip {
  const parts: string[] = [];
  let perfect = 0;
  let noData = 0;
  const troubled: DayUptime[] = [];
  for (const day of days) {
    parts.push(dayCell(day, timeZone));
    const tone = barTone(day);
    if (tone === 'ok') perfect++;
    else if (tone === 'none') noData++;
    else troubled.push(day);
  }
  // Joined, not concatenated: a flat string, copied once into each page that uses it.
  return { timeZone, days, bars: parts.join(''), perfect, noData, troubled };
}

function sameDays(strip: Strip, days: readonly DayUptime[], timeZone: string): boolean {
  if (strip.timeZone !== timeZone || strip.days.length !== days.length - 1) return false;
  for (let i = 0; i < strip.days.length; i++) if (strip.days[i] !== days[i]) return false;
  return true;
}

/** `key` names the strip (e.g. page and monitor) so that the next render can reuse its past days. */
export function uptimeBars(days: readonly DayUptime[], timeZone = 'UTC', key?: string): Html {
  // The hottest markup on the page (90 bars per monitor): built as one string, every label escaped.
  let past = key === undefined ? undefined : strips.get(key);
  if (!past || !sameDays(past, days, timeZone)) {
    past = stripOf(days.slice(0, -1), timeZone);
    if (key !== undefined) {
      if (stripChars + past.bars.length > MAX_STRIP_CHARS) {
        strips.clear();
        stripChars = 0;
      }
      stripChars += past.bars.length - (strips.get(key)?.bars.length ?? 0);
      strips.set(key, past);
    }
  }
  const today = days.at(-1);
  let bars = past.bars;
  let { perfect, noData } = past;
  let troubled = past.troubled;
  if (today) {
    bars += dayCell(today, timeZone);
    const tone = barTone(today);
    if (tone === 'ok') perfect++;
    else if (tone === 'none') noData++;
    else troubled = [...troubled, today];
  }
  const summary = `Daily uptime over the last ${days.length} days: ${perfect} at 100%, ${troubled.length} with failures, ${noData} without data.`;
  return html`<div class="bars" role="img" aria-label="${summary}">${trusted(bars)}</div>
${troubled.length > 0 ? html`<ul class="sr-only">${troubled.map((day) => html`<li>${dayLabel(day, timeZone)}</li>`)}</ul>` : ''}
<div class="bar-foot" aria-hidden="true"><span>${days.length} days ago</span><span>Today</span></div>`;
}

export function barLegend(): Html {
  const entry = (tone: BarTone, text: string) => html`<li><span class="swatch u-${tone}"></span>${text}</li>`;
  return html`<ul class="legend" aria-label="Bar colours">${entry('ok', '100%')}${entry('warn', '99% or more')}${entry('partial', '95% or more')}${entry('down', 'Below 95%')}${entry('none', 'No data')}</ul>`;
}
