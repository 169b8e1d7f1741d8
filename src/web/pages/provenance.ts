// `/provenance`: where every platform on the page is served from, per component, and every change.
import type { StatusPageSpec } from '../../domain/monitor.js';
import type { IpDbInfo } from '../../provenance/ipdb.js';
import type { ProvenancePage } from '../../read/provenance-page.js';
import { timeFormat } from '../format.js';
import { html, type Html } from '../html.js';
import { layout, type PagePaths } from '../layout.js';
import { changeList, ipdbAttribution, servedFromTable } from '../provenance-parts.js';

export function renderProvenance(page: StatusPageSpec, data: ProvenancePage, paths: PagePaths, ipdb: IpDbInfo | undefined): Html {
  const times = timeFormat(page.timezone);
  const names = new Map(data.components.flatMap((c) => c.monitors.map((m) => [m.id, m.name] as const)));
  const main = html`
<h1 class="page-title">Where it is served from</h1>
<p class="meta">Which addresses each platform resolves to, which networks and organisations announce them, the countries those networks are registered in, the CDN and the certificate issuer: as each vantage sees them now. <a href="${paths.provenanceFeed}">Changes as an Atom feed</a>.</p>
${data.components.map(
  (component) => html`<section aria-labelledby="c-${component.id}"><h2 id="c-${component.id}">${component.name}</h2>
${component.monitors.map(
  (monitor) => html`<div class="card"><div class="card-body"><h3><a href="${paths.monitor(monitor.id)}">${monitor.name}</a></h3>
${servedFromTable(monitor.entries, times, `Where ${monitor.name} is served from, per vantage`)}</div></div>`,
)}</section>`,
)}
<section aria-labelledby="changes"><h2 id="changes">Changes</h2>
<div class="card"><div class="card-body">${changeList(data.changes, times, { name: (id) => names.get(id) ?? id, href: paths.monitor })}</div></div>
</section>
${ipdbAttribution(ipdb)}`;
  return layout({ page, paths, title: 'Where it is served from', current: 'provenance', times, now: data.now, main });
}
