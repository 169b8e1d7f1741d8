// `/` and `/s/:slug`: the overall banner, open incidents, then every component with its monitors.
import type { ComponentSummary, DayUptime, IncidentRef, LatencyPoint, MonitorSummary, StatusPageView, UptimeWindows } from '../../read/status-page.js';
import { formatLatency, formatUptime, timeFormat } from '../format.js';
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Html, html, trusted } from '../html.js';
import { incidentCard, timeTag } from '../incident-parts.js';
import { latencyChart } from '../latency-chart.js';
import { layout, type PagePaths } from '../layout.js';
import { componentBadge, icon, INDICATOR_TONE, monitorBadge } from '../status-tone.js';
import { barLegend, uptimeBars } from '../uptime-bars.js';
import { declaredNote } from '../declared-parts.js';
import type { TimeFormat } from '../format.js';
import { placesLine } from '../places.js';

export function renderHome(view: StatusPageView, paths: PagePaths, refreshSeconds: number): Html {
  return new Html(renderHomeParts(view, paths, refreshSeconds).join(''));
}

/** Stands for the component cards in the page shell; random, so no text on the page can contain it. */
const CARDS_MARK = `<!--${randomBytes(12).toString('hex')}-->`;

/**
 * The page in parts of a few kilobytes each (the shell before the cards, each card's head, each of its
 * monitors, ...): written one by one into the render cache's buffer, they are never joined into one
 * string of half a megabyte, which would be allocated afresh on every render.
 */
export function renderHomeParts(view: StatusPageView, paths: PagePaths, refreshSeconds: number): string[] {
  const times = timeFormat(view.page.timezone);
  const shell = homeShell(view, paths, refreshSeconds, times).value;
  const at = shell.indexOf(CARDS_MARK);
  const parts = [shell.slice(0, at)];
  for (const component of view.components) for (const part of componentCard(component, paths, times)) parts.push(part.value);
  parts.push(shell.slice(at + CARDS_MARK.length));
  return parts;
}

function homeShell(view: StatusPageView, paths: PagePaths, refreshSeconds: number, times: TimeFormat): Html {
  const tone = INDICATOR_TONE[view.overall.indicator];
  const main = html`
${view.page.description !== undefined ? html`<p class="intro">${view.page.description}</p>` : ''}
<section class="banner t-${tone}" aria-labelledby="overall">${icon(tone)}<div><h1 id="overall">${view.overall.description}</h1><p>Updated ${timeTag(view.generatedAt, times)}</p></div></section>
${
  view.vantageImpaired
    ? html`<section class="notice" aria-labelledby="vantage"><h2 id="vantage">This checker is offline</h2><p>Every recent check failed before reaching any platform, so the problem is on this checker's side. Outages are not confirmed, and these checks do not count against anyone's uptime, until it can reach the network again.</p></section>`
    : ''
}
${
  view.openIncidents.length > 0
    ? html`<section aria-labelledby="open-incidents"><h2 id="open-incidents">Ongoing incidents</h2>${
        view.vantageImpaired ? html`<p class="meta">Open when this checker went offline; not re-checked since.</p>` : ''
      }${view.openIncidents.map((incident) =>
        incidentCard(incident, paths.incident(incident.id), view.generatedAt, times, 3),
      )}</section>`
    : ''
}
<section aria-labelledby="components"><h2 id="components">Components</h2>
${view.components.length === 0 ? html`<p class="empty">This page shows no components yet.</p>` : trusted(CARDS_MARK)}
${barLegend()}
</section>
<p><a href="${paths.history}">Incident history &rarr;</a></p>`;
  return layout({
    page: view.page,
    paths,
    current: 'home',
    times,
    now: view.generatedAt,
    live: { fingerprint: view.fingerprint, refreshSeconds },
    main,
  });
}

/** A component's card in parts: its head, each monitor, its end. */
function componentCard(component: ComponentSummary, paths: PagePaths, times: TimeFormat): Html[] {
  const headingId = `c-${component.id}`;
  // A component that is just one monitor of the same name is shown as that monitor alone.
  const only = component.monitors.length === 1 ? component.monitors[0] : undefined;
  if (only && only.name === component.name) {
    const href = paths.monitor(only.id);
    return [
      sameAsBefore(`card\u0000${headingId}\u0000${component.name}\u0000${href}\u0000${times.timeZone}`, only, () =>
        html`<section class="card" aria-labelledby="${headingId}">
<div class="card-head"><h3 id="${headingId}"><a class="mon-name" href="${href}">${component.name}</a></h3><span class="mon-state">${latency(only)}${monitorBadge(only.status)}</span></div>
<div class="mon">${monitorBody(only, times)}</div>
</section>`,
      ),
    ];
  }
  const items = component.monitors.map((monitor) => {
    const href = paths.monitor(monitor.id);
    return sameAsBefore(`item\u0000${href}\u0000${times.timeZone}`, monitor, () =>
      html`<li class="mon">
<div class="mon-head"><a class="mon-name" href="${href}">${monitor.name}</a><span class="mon-state">${latency(monitor)}${monitorBadge(monitor.status)}</span></div>
${monitorBody(monitor, times)}
</li>`,
    );
  });
  return [
    html`<section class="card" aria-labelledby="${headingId}">
<div class="card-head"><h3 id="${headingId}">${component.name}</h3>${componentBadge(component.status)}</div>
<ul class="monitors">`,
    ...items,
    html`</ul>
</section>`,
  ];
}

/**
 * Each monitor's markup of the previous render, kept while its summary is the same: a hub checks each
 * monitor about once a minute and rebuilds the page every few seconds, so most monitors come back
 * unchanged, and their markup (bars, figures, chart) was most of a rebuild's rendering. `key` holds
 * everything else the markup is made of (its link, the time zone, the card's heading). The summary is
 * compared field by field, every field (the comparers below are typed so that a field added to it
 * does not compile until it is compared), so nothing it holds can go stale; its parts are mostly
 * shared objects (days no incident touched, points of finished hours), which compare at once.
 */
const markup = new Map<string, { readonly summary: MonitorSummary; readonly html: Html }>();
/** A few pages of 10,000 monitors; beyond it the oldest go. */
const MAX_MARKUP = 20_000;

function sameAsBefore(key: string, summary: MonitorSummary, render: () => Html): Html {
  const before = markup.get(key);
  if (before && sameSummary(before.summary, summary)) return before.html;
  const made = render();
  markup.delete(key);
  markup.set(key, { summary, html: made });
  if (markup.size > MAX_MARKUP) markup.delete(markup.keys().next().value as string);
  return made;
}

type Same<T> = (a: T, b: T) => boolean;

/** Equal by identity or by every field, each with its own comparer. */
function sameBy<T extends object>(fields: { readonly [K in keyof Required<T>]: Same<T[K]> }): Same<T> {
  const entries = Object.entries(fields) as [keyof T, Same<unknown>][];
  return (a, b) => {
    if (a === b) return true;
    for (const [key, same] of entries) if (!same(a[key], b[key])) return false;
    return true;
  };
}

const same = <T>(a: T, b: T): boolean => a === b;
function sameList<T>(item: Same<T>): Same<readonly T[]> {
  return (a, b) => {
    if (a === b) return true;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!item(a[i]!, b[i]!)) return false;
    return true;
  };
}
/** Rarely there, and small: compared whole. */
const sameWhole = <T>(a: T, b: T): boolean => a === b || isDeepStrictEqual(a, b);

const sameDay = sameBy<DayUptime>({
  start: same,
  checks: same,
  okChecks: same,
  uptime: same,
  downtimeMs: same,
  incidents: sameList(sameBy<IncidentRef>({ id: same, title: same })),
});
const samePoint = sameBy<LatencyPoint>({ start: same, checks: same, p50Ms: same, p95Ms: same });
const sameSummary = sameBy<MonitorSummary>({
  id: same,
  name: same,
  status: same,
  since: same,
  latencyMs: same,
  lastCheckedAt: same,
  days: sameList(sameDay),
  uptime: sameBy<UptimeWindows>({ '24h': same, '30d': same, '90d': same }),
  latency: sameList(samePoint),
  declared: sameWhole,
  places: sameWhole,
});

function latency(monitor: MonitorSummary): Html | string {
  return monitor.latencyMs !== undefined ? html`<span class="latency">${formatLatency(monitor.latencyMs)}<span class="sr-only"> latest response time</span></span>` : '';
}

function monitorBody(monitor: MonitorSummary, times: TimeFormat): Html {
  return html`${declaredNote(monitor.declared, monitor.status, times)}${uptimeBars(monitor.days, times.timeZone, `${times.timeZone}\u0000${monitor.id}`)}
<ul class="figures" aria-label="Uptime"><li>24 hours <b>${formatUptime(monitor.uptime['24h'])}</b></li><li>30 days <b>${formatUptime(monitor.uptime['30d'])}</b></li><li>90 days <b>${formatUptime(monitor.uptime['90d'])}</b></li></ul>
${placesLine(monitor.places)}
${latencyChart(monitor.latency, { span: 'last 24 hours' })}`;
}
