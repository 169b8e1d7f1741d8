// Pieces shared by the pages that show incidents: the card, the timeline, the evidence of an entry.
import type { Evidence, Incident, TimelineEntry } from '../domain/state.js';
import { formatDuration, formatLatency, isoTime, type TimeFormat } from './format.js';
import { html, type Html } from './html.js';
import { icon } from './status-tone.js';

/** Down from some vantages only (consensus): shown in the partial-outage tone, not as down. */
const isPartial = (incident: Incident): boolean => incident.scope?.kind === 'partial';

export function incidentStatus(incident: Incident): Html {
  if (incident.state !== 'open') return html`<span class="pill t-ok">${icon('ok')}Resolved</span>`;
  return isPartial(incident) ? html`<span class="pill t-partial">${icon('partial')}Ongoing, partial</span>` : html`<span class="pill t-down">${icon('down')}Ongoing</span>`;
}

export function timeTag(ms: number, times: TimeFormat): Html {
  return html`<time datetime="${isoTime(ms)}">${times.dateTime(ms)}</time>`;
}

/** "Started 10 Mar 2026, 11:00 CET · lasted 12 min" (or "ongoing for"). */
export function incidentMeta(incident: Incident, now: number, times: TimeFormat): Html {
  const duration = formatDuration((incident.resolvedAt ?? now) - incident.startedAt);
  return html`Started ${timeTag(incident.startedAt, times)} · ${incident.state === 'open' ? `ongoing for ${duration}` : `lasted ${duration}`}`;
}

const PHASES = ['dns', 'connect', 'tls', 'ttfb', 'total'] as const;
const PHASE_LABEL: Record<(typeof PHASES)[number], string> = { dns: 'DNS', connect: 'connect', tls: 'TLS', ttfb: 'first byte', total: 'total' };

export function evidenceList(evidence: Evidence): Html {
  const phases = evidence.phases
    ? PHASES.flatMap((phase) => {
        const ms = evidence.phases?.[phase];
        return ms === undefined ? [] : [`${PHASE_LABEL[phase]} ${formatLatency(ms)}`];
      }).join(' · ')
    : '';
  return html`<dl class="evidence">
<dt>Seen from</dt><dd>${evidence.vantage}</dd>
${evidence.errorKind ? html`<dt>Error</dt><dd><code>${evidence.errorKind}</code></dd>` : ''}
${evidence.errorMessage ? html`<dt>Detail</dt><dd>${evidence.errorMessage}</dd>` : ''}
${phases ? html`<dt>Timings</dt><dd>${phases}</dd>` : ''}
${evidence.peerAddress ? html`<dt>Peer IP</dt><dd><code>${evidence.peerAddress}</code></dd>` : ''}
<dt>Check</dt><dd><code>${evidence.resultId}</code></dd>
</dl>`;
}

export function timeline(entries: readonly TimelineEntry[], times: TimeFormat, withEvidence: boolean, monitorName?: (id: string) => string): Html {
  return html`<ol class="timeline">${entries.map(
    (entry) => html`<li class="k-${entry.kind}">${timeTag(entry.at, times)}<p>${entry.message}${
      monitorName && entry.monitorId ? html` <span class="meta">(${monitorName(entry.monitorId)})</span>` : ''
    }</p>${withEvidence && entry.scope ? scopeEvidence(entry.scope) : withEvidence && entry.evidence ? evidenceList(entry.evidence) : ''}</li>`,
  )}</ol>`;
}

/** What each vantage saw when the scope was decided: its latest check, failing or passing. */
function scopeEvidence(scope: NonNullable<TimelineEntry['scope']>): Html {
  return html`<dl class="evidence">
<dt>Scope</dt><dd>${scope.kind === 'global' ? 'everywhere' : 'partial'}${scope.regions.length > 0 ? `: ${scope.regions.join(', ')}` : ''}</dd>
${scope.evidence.map((e) => html`<dt>${e.vantage}</dt><dd>${e.errorKind ? html`<code>${e.errorKind}</code>` : 'passed'} · check <code>${e.resultId}</code></dd>`)}
</dl>`;
}

/** A card for lists: title linking to the incident, status, when, and the latest `latest` entries. */
export function incidentCard(incident: Incident, href: string, now: number, times: TimeFormat, latest: number, headingLevel: 2 | 3 = 3): Html {
  const entries = latest > 0 ? incident.timeline.slice(-latest).reverse() : [];
  const heading = html`<a href="${href}">${incident.title}</a>`;
  return html`<article class="card incident${incident.state === 'resolved' ? ' resolved' : isPartial(incident) ? ' partial' : ''}">
<div class="card-head"><div>${headingLevel === 2 ? html`<h2>${heading}</h2>` : html`<h3>${heading}</h3>`}<p class="meta">${incidentMeta(incident, now, times)}</p></div>${incidentStatus(incident)}</div>
${entries.length > 0 ? html`<div class="card-body">${timeline(entries, times, false)}</div>` : ''}
</article>`;
}
