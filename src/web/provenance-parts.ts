// Pieces of the provenance views: "where it is served from" per vantage, the list of changes, and the
// IP database's attribution (CC BY 4.0 asks for it wherever its data is shown).
import { changeLabel, type ProvenanceChange } from '../provenance/changes.js';
import type { LedgerEntry } from '../provenance/ledger-step.js';
import type { IpDbInfo } from '../provenance/ipdb.js';
import { IPDB_ATTRIBUTION } from '../provenance/ip-location-db.js';
import { formatNetwork } from '../provenance/view.js';
import type { TimeFormat } from './format.js';
import { html, type Html } from './html.js';
import { timeTag } from './incident-parts.js';

const list = (values: readonly string[]): Html | string => (values.length === 0 ? '—' : html`${values.map((v, i) => html`${i > 0 ? html`<br>` : ''}${v}`)}`);

/** One row per vantage: what it sees now and since when. */
export function servedFromTable(entries: readonly LedgerEntry[], times: TimeFormat, caption: string): Html {
  if (entries.length === 0) return html`<p class="empty">Not observed yet.</p>`;
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label="${caption}"><table class="served-from"><caption>${caption}</caption>
<thead><tr><th scope="col">Seen from</th><th scope="col">Addresses</th><th scope="col">Networks</th><th scope="col">Countries</th><th scope="col">CDN</th><th scope="col">Certificate issuer</th><th scope="col">Since</th></tr></thead>
<tbody>${entries.map((entry) => {
    const { view } = entry;
    const failed = entry.snapshot.error ? html`<br><small>last snapshot: <code>${entry.snapshot.error.kind}</code></small>` : '';
    return html`<tr><th scope="row">${entry.vantage}${failed}</th><td>${list(view.addresses)}${view.cnameTarget ? html`<br><small>via ${view.cnameTarget}</small>` : ''}</td><td>${list(view.networks.map(formatNetwork))}</td><td>${list(view.countries)}</td><td>${list(view.cdns)}</td><td>${
      view.certificate ? view.certificate.issuer : '—'
    }</td><td>${timeTag(entry.firstSeen, times)}</td></tr>`;
  })}</tbody></table></div>`;
}

/** Changes newest first; `monitorName` adds which monitor each is about (the page of all changes). */
export function changeList(changes: readonly ProvenanceChange[], times: TimeFormat, monitor?: { name(id: string): string; href(id: string): string }): Html {
  if (changes.length === 0) return html`<p class="empty">No change recorded.</p>`;
  const values = (v: readonly string[]) => (v.length === 0 ? 'none' : v.join(', '));
  return html`<ol class="timeline changes">${changes.map(
    (change) => html`<li class="k-change">${timeTag(change.at, times)}<p>${
      monitor ? html`<a href="${monitor.href(change.monitorId)}">${monitor.name(change.monitorId)}</a>: ` : ''
    }<b>${changeLabel(change.kind)}</b>, seen from ${change.vantage}: <span class="was">${values(change.previous)}</span> → <span class="now">${values(change.current)}</span></p></li>`,
  )}</ol>`;
}

/**
 * The attribution of the IP database the networks and countries come from; without `info` (none
 * loaded by this process) the stored ones still came from it.
 */
export function ipdbAttribution(info: IpDbInfo | undefined): Html {
  return html`<p class="attribution">Networks, organisations and countries: ${info?.attribution ?? IPDB_ATTRIBUTION}${info ? ` (database of ${info.date})` : ''}. Licensed under <a href="https://creativecommons.org/licenses/by/4.0/" rel="license noopener">CC BY 4.0</a>; from <a href="https://github.com/sapics/ip-location-db" rel="noopener">ip-location-db</a>. A network's registered country is not where its servers are.</p>`;
}

