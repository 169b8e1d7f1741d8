// Pieces of the pages that put what a platform declares next to what Candor sees.
import type { DeclaredStatus } from '../domain/declared.js';
import { COMPONENT_STATUS_LABEL } from '../domain/status.js';
import { acknowledgementSentence, type DeclaredNote } from '../read/declared-notes.js';
import type { TimeFormat } from './format.js';
import { html, type Html } from './html.js';
import { timeTag } from './incident-parts.js';
import { MONITOR_LABEL } from './status-tone.js';
import type { ShownMonitorStatus } from '../read/status-page.js';

export function declaredLabel(status: DeclaredStatus): string {
  return status === 'unavailable' ? 'Unavailable (could not be read)' : COMPONENT_STATUS_LABEL[status];
}

/** Shown on a component only when the platform and Candor disagree. */
export function declaredNote(note: DeclaredNote | undefined, observed: ShownMonitorStatus, times: TimeFormat): Html | string {
  if (!note?.differs) return '';
  return html`<p class="declared-note"><span class="declared-says">${note.sourceName} says: <b>${declaredLabel(note.status)}</b> (since ${timeTag(note.since, times)})</span> <span class="declared-sees">Candor sees: <b>${MONITOR_LABEL[observed]}</b></span></p>`;
}

export interface AcknowledgementView {
  readonly monitorId: string;
  readonly sourceName: string;
  readonly comparison: Parameters<typeof acknowledgementSentence>[1];
}

/** On an incident page: when, and whether, the platform acknowledged it. */
export function acknowledgementSection(acks: readonly AcknowledgementView[], monitorName: (id: string) => string, times: TimeFormat): Html | string {
  if (acks.length === 0) return '';
  return html`<section aria-labelledby="acknowledged"><h2 id="acknowledged">What the platform said</h2>
<div class="card"><div class="card-body"><ul class="acks">${acks.map((ack) => {
    const at = ack.comparison.acknowledgement?.at;
    return html`<li><p>${acks.length > 1 ? html`<b>${monitorName(ack.monitorId)}</b>: ` : ''}${acknowledgementSentence(ack.sourceName, ack.comparison)}${
      at ? html` <span class="meta">At ${timeTag(Date.parse(at), times)}.</span>` : ''
    }</p></li>`;
  })}</ul><p class="meta">Measured from the first failed check of the outage. <a href="/api/v1/transparency">The figures and their evidence</a> are public.</p></div></div>
</section>`;
}
