// `/incidents/:id`: the whole timeline with its evidence, the duration, the monitors affected.
import type { StatusPageSpec } from '../../domain/monitor.js';
import type { Incident } from '../../domain/state.js';
import { timeFormat } from '../format.js';
import { html, type Html } from '../html.js';
import { entryText, incidentMeta, incidentStatus, timeline, timeTag } from '../incident-parts.js';
import { postmortemOf } from '../../domain/incident-updates.js';
import { layout, type PagePaths } from '../layout.js';
import { acknowledgementSection, type AcknowledgementView } from '../declared-parts.js';

export interface IncidentPageData {
  readonly page: StatusPageSpec;
  readonly incident: Incident;
  readonly monitorNames: ReadonlyMap<string, string>;
  /** Affected monitors this page shows (the others are named without a link). */
  readonly onPage: ReadonlySet<string>;
  readonly now: number;
  /** Whether and when each declared platform acknowledged it. */
  readonly acknowledgements?: readonly AcknowledgementView[];
}

export function renderIncident(data: IncidentPageData, paths: PagePaths): Html {
  const { incident, page, now } = data;
  const times = timeFormat(page.timezone);
  const name = (id: string) => data.monitorNames.get(id) ?? id;
  const postmortem = postmortemOf(incident);
  const main = html`
<p class="crumbs"><a href="${paths.history}">Incident history</a></p>
<h1 class="page-title">${incident.title}</h1>
<p class="meta">${incidentStatus(incident)} ${incidentMeta(incident, now, times)}${
    incident.resolvedAt !== undefined ? html` · resolved ${timeTag(incident.resolvedAt, times)}` : ''
  }</p>
<section aria-labelledby="affected"><h2 id="affected">Affected</h2>
<ul>${incident.monitorIds.map((id) => html`<li>${data.onPage.has(id) ? html`<a href="${paths.monitor(id)}">${name(id)}</a>` : name(id)}</li>`)}</ul>
</section>
${acknowledgementSection(data.acknowledgements ?? [], name, times)}
${postmortem ? html`<section aria-labelledby="postmortem"><h2 id="postmortem">Postmortem</h2>
<div class="card"><div class="card-body">${timeTag(postmortem.at, times)}${entryText(postmortem)}</div></div>
</section>` : ''}
<section aria-labelledby="timeline"><h2 id="timeline">Timeline</h2>
<div class="card"><div class="card-body">${
    incident.timeline.length > 0 ? timeline(incident.timeline, times, true, incident.monitorIds.length > 1 ? name : undefined) : html`<p class="empty">No entries.</p>`
  }</div></div>
</section>`;
  return layout({ page, paths, title: incident.title, current: 'other', times, now, main });
}
