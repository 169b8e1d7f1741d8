// Where a monitor is checked from, as the pages show it: how many places (and their regions), where it
// fails from when it is partly down, and on a monitor's page each place's latest check side by side.
import type { PlaceRow, Places } from '../read/places.js';
import { formatLatency, type TimeFormat } from './format.js';
import { html, type Html } from './html.js';
import { timeTag } from './incident-parts.js';
import { monitorBadge } from './status-tone.js';

const placesWord = (count: number) => (count === 1 ? '1 place' : `${count} places`);

/** "Checked from 3 places (eu-west, us-east)", and while partly down, where it fails from. */
export function placesLine(places: Places | undefined): Html | string {
  if (!places || places.count === 0) return '';
  const regions = places.regions.length > 0 ? ` (${places.regions.join(', ')})` : '';
  const failing = places.failing;
  const where = failing && failing.regions.length > 0 ? failing.regions.join(', ') : failing?.vantages.join(', ');
  return html`<p class="places">Checked from ${placesWord(places.count)}${regions}${
    failing && where ? html`<span class="scope"> · failing from <b>${where}</b> (${placesWord(failing.vantages.length)} of ${places.count})</span>` : ''
  }</p>`;
}

const CONDITION_TEXT = { ok: '', impaired: ' (this place itself looks impaired: set aside)', offline: ' (offline: not counted)' } as const;

/** The table of each place's latest check: "is it just me?". */
export function placesTable(rows: readonly PlaceRow[], times: TimeFormat): Html {
  if (rows.length === 0) return html`<p class="empty">No place has checked it yet.</p>`;
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label="Table of the latest check from each place"><table id="places"><caption>Latest check from each place</caption>
<thead><tr><th scope="col">Place</th><th scope="col">Region</th><th scope="col">Verdict there</th><th scope="col">Last check</th><th scope="col">Result</th><th scope="col" class="num">Duration</th></tr></thead>
<tbody>${rows.map(
    (row) => html`<tr><th scope="row">${row.name}${CONDITION_TEXT[row.condition]}</th><td>${row.region ?? '—'}</td><td>${monitorBadge(row.status)}</td><td>${
      row.result ? timeTag(row.result.startedAt, times) : '—'
    }</td><td>${row.result ? (row.result.ok ? 'passed' : html`<code>${row.result.error?.kind ?? 'failed'}</code>`) : '—'}</td><td class="num">${row.result ? formatLatency(row.result.latencyMs) : '—'}</td></tr>`,
  )}</tbody></table></div>`;
}
