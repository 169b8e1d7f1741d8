// `/history`: incidents newest first, one page at a time (cursor `before`).
import type { StatusPageSpec } from '../../domain/monitor.js';
import type { HistoryPage } from '../../read/status-page.js';
import { timeFormat } from '../format.js';
import { html, type Html } from '../html.js';
import { incidentCard } from '../incident-parts.js';
import { layout, type PagePaths } from '../layout.js';

export function renderHistory(page: StatusPageSpec, history: HistoryPage, paths: PagePaths, isFirstPage: boolean): Html {
  const times = timeFormat(page.timezone);
  const main = html`
<h1 class="page-title">Incident history</h1>
${
  history.incidents.length === 0
    ? html`<p class="empty">${isFirstPage ? 'No incidents recorded.' : 'No older incidents.'}</p>`
    : html`<div class="list">${history.incidents.map((incident) => incidentCard(incident, paths.incident(incident.id), history.now, times, 1, 2))}</div>`
}
<nav class="pager" aria-label="Pages">${isFirstPage ? html`<span></span>` : html`<a href="${paths.history}">← Newest</a>`}${
    history.nextBefore ? html`<a href="${paths.history}?before=${encodeURIComponent(history.nextBefore)}" rel="next">Older incidents →</a>` : ''
  }</nav>`;
  return layout({ page, paths, title: 'Incident history', current: 'history', times, now: history.now, main });
}
