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

const BAR_STEP = 5;
const BAR_WIDTH = 3.6;
const BAR_HEIGHT = 34;

export function uptimeBars(days: readonly DayUptime[], timeZone = 'UTC'): Html {
  // The hottest markup on the page (90 bars per monitor): built as one string, every label escaped.
  let rects = '';
  days.forEach((day, i) => {
    rects += `<rect x="${i * BAR_STEP}" width="${BAR_WIDTH}" height="${BAR_HEIGHT}" class="u-${barTone(day)}"><title>${escapeHtml(dayLabel(day, timeZone))}</title></rect>`;
  });
  const imperfect = days.filter((day) => barTone(day) !== 'ok');
  const perfect = days.length - imperfect.length;
  const noData = imperfect.filter((day) => day.uptime === null && day.downtimeMs === 0);
  const troubled = imperfect.filter((day) => !noData.includes(day));
  const summary = `Daily uptime over the last ${days.length} days: ${perfect} at 100%, ${troubled.length} with failures, ${noData.length} without data.`;
  return html`<svg class="bars" viewBox="0 0 ${days.length * BAR_STEP - (BAR_STEP - BAR_WIDTH)} ${BAR_HEIGHT}" preserveAspectRatio="none" role="img" aria-label="${summary}">${trusted(rects)}</svg>
${troubled.length > 0 ? html`<ul class="sr-only">${troubled.map((day) => html`<li>${dayLabel(day, timeZone)}</li>`)}</ul>` : ''}
<div class="bar-foot" aria-hidden="true"><span>${days.length} days ago</span><span>Today</span></div>`;
}

export function barLegend(): Html {
  const entry = (tone: BarTone, text: string) => html`<li><span class="swatch u-${tone}"></span>${text}</li>`;
  return html`<ul class="legend" aria-label="Bar colours">${entry('ok', '100%')}${entry('warn', '99% or more')}${entry('partial', '95% or more')}${entry('down', 'Below 95%')}${entry('none', 'No data')}</ul>`;
}
