// `/transparency`: per platform, how its own status page compared with what Candor observed, with a
// short plain-language method. The same figures, with the evidence behind each, are /api/v1/transparency.
import type { StatusPageSpec } from '../../domain/monitor.js';
import { type TransparencyReport } from '../../read/declared.js';
import { formatLag } from '../../read/declared-notes.js';
import { timeFormat } from '../format.js';
import { html, type Html } from '../html.js';
import { timeTag } from '../incident-parts.js';
import { layout, type PagePaths } from '../layout.js';

type Platform = TransparencyReport['platforms'][number];
type Window = Platform['windows'][number];

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;
const lag = (ms: number | null) => (ms === null ? '—' : formatLag(ms));
const share = (fraction: number | null) => (fraction === null ? '—' : `${Math.round(fraction * 100)}%`);

const ROWS: readonly [string, (w: Window) => string][] = [
  ['Outages Candor observed', (w) => String(w.outages)],
  ['Acknowledged by the platform', (w) => String(w.acknowledged)],
  ['Never acknowledged', (w) => String(w.unacknowledged)],
  ['Still open, not acknowledged yet', (w) => String(w.pending)],
  ['Median time to acknowledge', (w) => lag(w.medianLagMs)],
  ['90th percentile time to acknowledge', (w) => lag(w.p90LagMs)],
  ['Share never acknowledged', (w) => share(w.shareUnacknowledged)],
  ['Said "operational" while Candor saw it down', (w) => minutes(w.declaredOperationalWhileDownMs)],
  ['Said "operational" while some vantages saw it down', (w) => minutes(w.declaredOperationalWhilePartialMs)],
  ['Said there was a problem while Candor saw it up', (w) => minutes(w.declaredDownWhileUpMs)],
];

export function renderTransparency(page: StatusPageSpec, report: TransparencyReport, paths: PagePaths, now: number): Html {
  const times = timeFormat(page.timezone);
  const main = html`
<h1 class="page-title">Transparency</h1>
<p class="intro">What each platform says about itself on its own status page, next to what Candor observed independently.</p>
${report.platforms.length === 0 ? html`<p class="empty">No monitor on this page reads a platform's own status page.</p>` : report.platforms.map((platform) => platformCard(platform, paths, times))}
<section aria-labelledby="method" class="method"><h2 id="method">How these figures are made</h2>
<p>An <b>outage</b> is an incident Candor opened: it starts at the first failed check of the run of failures that confirmed it, and ends when Candor saw the platform work again. Checks inside Candor's own maintenance windows never open one.</p>
<p>The platform <b>acknowledged</b> an outage when its status page showed anything other than "operational" for the component (maintenance included), or published an incident covering that time. The time to acknowledge runs from the outage's start to the first such sign. Candor reads the page every few minutes, so the platform's own time stamp is used when it is at most one reading earlier than when Candor first saw it, and Candor's own reading time otherwise.</p>
<p>A page Candor could not read (it failed, timed out or answered nonsense) counts as <b>unavailable</b>: never as "operational", and not in the minutes of disagreement. Time when Candor itself was not running is left out too.</p>
<p>Method ${report.method.version}. Every figure, with the incidents, checks and declarations behind it, is in <a href="/api/v1/transparency">the API</a>; the full method is in docs/transparency.md.</p>
</section>`;
  return layout({ page, paths, title: 'Transparency', current: 'transparency', times, now, main });
}

function platformCard(platform: Platform, paths: PagePaths, times: ReturnType<typeof timeFormat>): Html {
  const id = `p-${platform.sourceId}`;
  const longest = platform.windows[platform.windows.length - 1];
  return html`<section class="card" aria-labelledby="${id}">
<div class="card-head"><div><h2 id="${id}">${platform.name}</h2><p class="meta">${platform.type === 'statuspage' ? 'Status page' : 'Incident feed'} read for ${platform.monitors.map((m) => m.name + (m.component ? ` (component "${m.component}")` : '')).join(', ')}</p></div></div>
<div class="card-body">
<table class="transparency-table"><caption class="sr-only">Declared vs observed for ${platform.name}</caption>
<thead><tr><th scope="col">Figure</th>${platform.windows.map((w) => html`<th scope="col">Last ${w.windowDays} days</th>`)}</tr></thead>
<tbody>${ROWS.map(([label, value]) => html`<tr><th scope="row">${label}</th>${platform.windows.map((w) => html`<td>${value(w)}</td>`)}</tr>`)}</tbody>
</table>
${longest && longest.evidence.outages.length > 0 ? html`<h3>Outages behind these figures</h3><ul class="acks">${longest.evidence.outages.map(
    (o) => html`<li><a href="${paths.incident(o.incidentId)}">${timeTag(Date.parse(o.startedAt ?? ''), times)}</a>: ${
      o.verdict === 'acknowledged' ? `acknowledged after ${lag(o.lagMs)}` : o.verdict === 'pending' ? 'ongoing, not acknowledged yet' : 'never acknowledged'
    }</li>`,
  )}</ul>` : ''}
</div></section>`;
}
