// `/monitors/:id`: one monitor in detail: uptime per day, latency over 24 h / 7 d / 30 d, recent failures.
import type { StatusPageSpec } from '../../domain/monitor.js';
import type { MonitorDetail } from '../../read/status-page.js';
import { downtimeMinutes, formatDay, formatLatency, formatUptime, timeFormat } from '../format.js';
import { html, type Html } from '../html.js';
import { incidentCard, timeTag } from '../incident-parts.js';
import { latencyChart } from '../latency-chart.js';
import { layout, type PagePaths } from '../layout.js';
import { monitorBadge } from '../status-tone.js';
import { barLegend, barTone, uptimeBars } from '../uptime-bars.js';
import { placesLine, placesTable } from '../places.js';
import { changeList, ipdbAttribution, servedFromTable } from '../provenance-parts.js';
import type { LedgerEntry } from '../../provenance/ledger-step.js';
import type { ProvenanceChange } from '../../provenance/changes.js';
import type { IpDbInfo } from '../../provenance/ipdb.js';

export interface MonitorProvenance {
  readonly entries: readonly LedgerEntry[];
  readonly changes: readonly ProvenanceChange[];
  readonly ipdb?: IpDbInfo;
}

export function renderMonitor(page: StatusPageSpec, detail: MonitorDetail, paths: PagePaths, now: number, provenance?: MonitorProvenance): Html {
  const times = timeFormat(page.timezone);
  const { summary } = detail;
  const hour = (ms: number) => times.dateTime(ms);
  const zone = page.timezone;
  // Every bar's day is a row here: the way to a day's details without a pointer or a script.
  const days = [...summary.days].reverse();
  const main = html`
<p class="crumbs"><a href="${paths.home}">Status</a> · ${detail.componentName}</p>
<h1 class="page-title">${summary.name}</h1>
<p class="meta">${monitorBadge(summary.status)}${summary.since !== undefined ? html` since ${timeTag(summary.since, times)}` : ''}${
    summary.lastCheckedAt !== undefined
      ? html` · last check ${timeTag(summary.lastCheckedAt, times)}${summary.latencyMs !== undefined ? `, ${formatLatency(summary.latencyMs)}` : ', no answer'}`
      : ''
  }</p>
${placesLine(summary.places)}
${detail.places.length > 0 ? html`<section aria-labelledby="places-h"><h2 id="places-h">From each place</h2>
<div class="card">${placesTable(detail.places, times)}</div>
</section>` : ''}
<section aria-labelledby="uptime"><h2 id="uptime">Uptime</h2>
<div class="card"><div class="mon">${uptimeBars(summary.days, zone)}
<ul class="figures" aria-label="Uptime"><li>24 hours <b>${formatUptime(summary.uptime['24h'])}</b></li><li>30 days <b>${formatUptime(summary.uptime['30d'])}</b></li><li>90 days <b>${formatUptime(summary.uptime['90d'])}</b></li></ul>
${barLegend()}</div>
<div class="table-wrap" tabindex="0" role="region" aria-label="Table of uptime per day"><table id="days"><caption>Uptime per day, last ${days.length} days (days in ${zone})</caption>
<thead><tr><th scope="col">Day</th><th scope="col" class="num">Uptime</th><th scope="col" class="num">Checks</th><th scope="col" class="num">Downtime</th><th scope="col">Incidents</th></tr></thead>
<tbody>${days.map(
    (day) => html`<tr class="u-${barTone(day)}"><th scope="row">${formatDay(day.start, zone)}</th><td class="num">${formatUptime(day.uptime)}</td><td class="num">${day.checks}</td><td class="num">${
      day.downtimeMs > 0 ? `${downtimeMinutes(day.downtimeMs)} min` : '—'
    }</td><td>${day.incidents.map((incident, i) => html`${i > 0 ? ', ' : ''}<a href="${paths.incident(incident.id)}">${incident.title}</a>`)}</td></tr>`,
  )}</tbody></table></div></div>
</section>
<section aria-labelledby="latency"><h2 id="latency">Response time</h2>
<div class="card"><div class="card-body">
${latencyChart(summary.latency, { span: 'last 24 hours', tall: true, table: hour })}
${latencyChart(detail.latency7d, { span: 'last 7 days', tall: true })}
${latencyChart(detail.latency30d, { span: 'last 30 days (daily, UTC days)', tall: true, table: (ms) => formatDay(ms) })}
</div></div>
</section>
<section aria-labelledby="failures"><h2 id="failures">Recent failed checks</h2>
<div class="card">${
    detail.failures.length === 0
      ? html`<div class="card-body"><p class="empty">No failed checks in the stored results.</p></div>`
      : html`<div class="table-wrap" tabindex="0" role="region" aria-label="Table of recent failed checks"><table><thead><tr><th scope="col">When</th><th scope="col">Error</th><th scope="col">From</th><th scope="col">Peer IP</th><th scope="col" class="num">Duration</th></tr></thead><tbody>${detail.failures.map(
          (result) => html`<tr><td>${timeTag(result.startedAt, times)}</td><td><code>${result.error?.kind ?? 'failed'}</code>${
            result.error?.message ? html`<br>${result.error.message}` : ''
          }</td><td>${result.vantage}</td><td>${result.peerAddress ? html`<code>${result.peerAddress}</code>` : '—'}</td><td class="num">${formatLatency(result.latencyMs)}</td></tr>`,
        )}</tbody></table></div>`
  }</div>
</section>
<section aria-labelledby="incidents"><h2 id="incidents">Incidents</h2>
${detail.incidents.length === 0 ? html`<p class="empty">No incidents recorded.</p>` : detail.incidents.map((incident) => incidentCard(incident, paths.incident(incident.id), now, times, 0))}
</section>
${
  provenance
    ? html`<section aria-labelledby="served-from"><h2 id="served-from">Where it is served from</h2>
<div class="card"><div class="card-body">${servedFromTable(provenance.entries, times, `Where ${summary.name} is served from, per vantage`)}</div></div>
<h3 id="changes">Changes</h3>
<div class="card"><div class="card-body">${changeList(provenance.changes, times)}</div></div>
${ipdbAttribution(provenance.ipdb)}
</section>`
    : ''
}`;
  return layout({ page, paths, title: summary.name, current: 'other', times, now, main });
}
