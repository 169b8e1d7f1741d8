// How a verdict looks: a tone (colour class), an icon and words. Colour is never the only signal:
// every tone comes with its own icon shape and a text label.
import { COMPONENT_STATUS_LABEL } from '../domain/status.js';
import type { PageComponentStatus, PageIndicator } from '../read/components.js';
import type { ShownMonitorStatus } from '../read/status-page.js';
import { html, type Html } from './html.js';

export type Tone = 'ok' | 'warn' | 'partial' | 'down' | 'maint' | 'none';

/** Icon symbols, defined once per page (see iconSprite) and used by id. */
const ICON_PATHS: Record<Tone, string> = {
  // check in a circle
  ok: 'M8 0a8 8 0 1 1 0 16A8 8 0 0 1 8 0Zm3.3 5.3a.9.9 0 0 0-1.3 0L7 8.4 5.9 7.2a.9.9 0 1 0-1.3 1.3l1.8 1.7a.9.9 0 0 0 1.2 0l3.7-3.7a.9.9 0 0 0 0-1.2Z',
  // exclamation in a triangle
  warn: 'M7 1.2a1.2 1.2 0 0 1 2 0l6.8 12.1A1.2 1.2 0 0 1 14.8 15H1.2a1.2 1.2 0 0 1-1-1.7ZM8 5a.9.9 0 0 0-.9.9v3.3a.9.9 0 0 0 1.8 0V5.9A.9.9 0 0 0 8 5Zm0 6.1a1 1 0 1 0 0 2 1 1 0 0 0 0-2Z',
  // minus in a diamond
  partial: 'M7.1.4a1.3 1.3 0 0 1 1.8 0l6.7 6.7a1.3 1.3 0 0 1 0 1.8l-6.7 6.7a1.3 1.3 0 0 1-1.8 0L.4 8.9a1.3 1.3 0 0 1 0-1.8ZM5 7.1a.9.9 0 0 0 0 1.8h6a.9.9 0 0 0 0-1.8Z',
  // cross in a circle
  down: 'M8 0a8 8 0 1 1 0 16A8 8 0 0 1 8 0Zm2.6 4.1L8 6.7 5.4 4.1a.9.9 0 1 0-1.3 1.3L6.7 8l-2.6 2.6a.9.9 0 1 0 1.3 1.3L8 9.3l2.6 2.6a.9.9 0 1 0 1.3-1.3L9.3 8l2.6-2.6a.9.9 0 1 0-1.3-1.3Z',
  // wrench in a circle
  maint: 'M8 0a8 8 0 1 1 0 16A8 8 0 0 1 8 0Zm2.2 3.4a3 3 0 0 0-3.1 3.8L3.8 10.5a1.1 1.1 0 0 0 1.6 1.6l3.3-3.3a3 3 0 0 0 3.8-3.1l-1.5 1.5-1.6-.4-.4-1.6Z',
  // dots in a circle
  none: 'M8 0a8 8 0 1 1 0 16A8 8 0 0 1 8 0ZM4.5 7a1 1 0 1 0 0 2 1 1 0 0 0 0-2Zm3.5 0a1 1 0 1 0 0 2 1 1 0 0 0 0-2Zm3.5 0a1 1 0 1 0 0 2 1 1 0 0 0 0-2Z',
};

export function iconSprite(): Html {
  const symbols = (Object.keys(ICON_PATHS) as Tone[]).map(
    (tone) => html`<symbol id="i-${tone}" viewBox="0 0 16 16"><path d="${ICON_PATHS[tone]}"/></symbol>`,
  );
  return html`<svg class="sprite" width="0" height="0" aria-hidden="true" focusable="false">${symbols}</svg>`;
}

/** A decorative icon: the text next to it carries the meaning. */
export function icon(tone: Tone): Html {
  return html`<svg class="ic" aria-hidden="true" focusable="false"><use href="#i-${tone}"/></svg>`;
}

// What is not known gets the neutral tone and its own words, never green and never red.
export const MONITOR_TONE: Record<ShownMonitorStatus, Tone> = {
  up: 'ok',
  degraded: 'warn',
  down: 'down',
  partial: 'partial',
  maintenance: 'maint',
  pending: 'none',
  paused: 'none',
  unknown: 'none',
};

export const MONITOR_LABEL: Record<ShownMonitorStatus, string> = {
  up: 'Operational',
  degraded: 'Degraded',
  down: 'Down',
  partial: 'Partial outage',
  maintenance: 'Maintenance',
  pending: 'No data yet',
  paused: 'Paused',
  unknown: 'No data',
};

export const COMPONENT_TONE: Record<PageComponentStatus, Tone> = {
  operational: 'ok',
  degraded_performance: 'warn',
  partial_outage: 'partial',
  major_outage: 'down',
  under_maintenance: 'maint',
  unknown: 'none',
};

export const COMPONENT_LABEL: Record<PageComponentStatus, string> = { ...COMPONENT_STATUS_LABEL, unknown: 'No data' };

export const INDICATOR_TONE: Record<PageIndicator, Tone> = { none: 'ok', minor: 'warn', major: 'partial', critical: 'down', maintenance: 'maint', unknown: 'none' };

export function monitorBadge(status: ShownMonitorStatus): Html {
  const tone = MONITOR_TONE[status];
  return html`<span class="st t-${tone}">${icon(tone)}${MONITOR_LABEL[status]}</span>`;
}

export function componentBadge(status: PageComponentStatus): Html {
  const tone = COMPONENT_TONE[status];
  return html`<span class="st t-${tone}">${icon(tone)}${COMPONENT_LABEL[status]}</span>`;
}
