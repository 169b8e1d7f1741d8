// The public read format of Atlassian Statuspage v2 (/api/v2/*.json), mapped from a Candor status page,
// so widgets, bots and aggregators that read hosted status pages read Candor unchanged. Pure.
// docs/statuspage.md says where every field comes from.
import type { StatusPageSpec } from '../domain/monitor.js';
import type { Incident, TimelineEntry } from '../domain/state.js';
import type { ComponentStatus, Indicator } from '../domain/status.js';
import type { PageComponent, PageOverall, PageStatus } from './components.js';
import { lastActivityAt } from './public-page.js';
import { iso } from './serialise.js';
import { v2ScheduledMaintenances, type V2MaintenanceStatus } from './maintenance-v2.js';

export type V2IncidentStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved' | 'postmortem';
export type V2Impact = 'none' | 'minor' | 'major' | 'critical';

export interface V2Context {
  readonly page: StatusPageSpec;
  readonly status: PageStatus;
  /** Absolute URL of the HTML page. */
  readonly pageUrl: string;
  /** Absolute URL of one incident's HTML page. */
  incidentUrl(id: string): string;
  readonly now: number;
}

export interface V2Page {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly time_zone: string;
  readonly updated_at: string;
}

export interface V2Component {
  readonly id: string;
  readonly name: string;
  readonly status: ComponentStatus;
  readonly created_at: string;
  readonly updated_at: string;
  readonly position: number;
  readonly description: string | null;
  readonly showcase: boolean;
  readonly start_date: string | null;
  readonly group_id: string | null;
  readonly page_id: string;
  readonly group: boolean;
  readonly only_show_if_degraded: boolean;
}

export interface V2IncidentUpdate {
  readonly id: string;
  readonly status: V2IncidentStatus;
  readonly body: string;
  readonly incident_id: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly display_at: string;
  readonly affected_components: null;
  readonly deliver_notifications: boolean;
  readonly custom_tweet: null;
  readonly tweet_id: null;
}

export interface V2Incident {
  readonly id: string;
  readonly name: string;
  readonly status: V2IncidentStatus;
  readonly created_at: string;
  readonly updated_at: string;
  readonly monitoring_at: string | null;
  readonly resolved_at: string | null;
  readonly impact: V2Impact;
  readonly shortlink: string;
  readonly started_at: string;
  readonly page_id: string;
  readonly incident_updates: readonly V2IncidentUpdate[];
  readonly components: readonly V2Component[];
}

/** Times of one component: Candor keeps no creation time, so both come from its monitors' current states. */
function componentTimes(component: PageComponent, now: number): { createdAt: number; updatedAt: number } {
  const since = component.monitors.flatMap((m) => (m.since === undefined ? [] : [m.since]));
  if (since.length === 0) return { createdAt: now, updatedAt: now };
  return { createdAt: Math.min(...since), updatedAt: Math.max(...since) };
}

/** A page component whose status is known: the only kind the Statuspage vocabulary can describe. */
export type KnownComponent = PageComponent & { readonly status: ComponentStatus };

const isKnown = (component: PageComponent): component is KnownComponent => component.status !== 'unknown';

export function v2Component(context: V2Context, component: KnownComponent, index: number): V2Component {
  const { createdAt, updatedAt } = componentTimes(component, context.now);
  return {
    id: component.id,
    name: component.name,
    status: component.status,
    created_at: iso(createdAt),
    updated_at: iso(updatedAt),
    position: index + 1,
    description: null,
    showcase: true,
    start_date: null,
    group_id: null,
    page_id: context.page.slug,
    group: false,
    only_show_if_degraded: false,
  };
}

/**
 * Statuspage has no "unknown" status, and every status it has is a claim (operational, or some trouble):
 * a component without a confirmed state, or every component while the checker is offline, is left out
 * rather than described with a word Candor cannot stand behind. Positions stay those of the page.
 */
export function v2Components(context: V2Context): V2Component[] {
  return context.status.components.flatMap((component, index) => (isKnown(component) ? [v2Component(context, component, index)] : []));
}

/** The page changed last when a component's verdict or an incident it shows did. */
export function v2Page(context: V2Context, incidents: readonly Incident[]): V2Page {
  const times = [
    ...context.status.components.flatMap((c) => c.monitors.flatMap((m) => (m.since === undefined ? [] : [m.since]))),
    ...incidents.map(lastActivityAt),
  ];
  return {
    id: context.page.slug,
    name: context.page.title,
    url: context.pageUrl,
    time_zone: context.page.timezone,
    updated_at: iso(times.length > 0 ? Math.max(...times) : context.now),
  };
}

/**
 * `unknown` is not an indicator Statuspage knows: it is sent as `none` (no problem is reported, which is
 * true) with a description that says nothing is known ("No data yet", or that the checker is offline).
 */
export function v2Status(overall: PageOverall): { indicator: Indicator; description: string } {
  return { indicator: overall.indicator === 'unknown' ? 'none' : overall.indicator, description: overall.description };
}

/**
 * Status of the incident right after each timeline entry, oldest first: it opens as `investigating`, a confirmed
 * outage makes it `identified` (Candor knows what is down and how), a recovery that does not close the
 * incident (another monitor is still down) makes it `monitoring`, the entry that closes it `resolved`.
 * Other entries keep the status they find.
 */
export function updateStatuses(incident: Incident): V2IncidentStatus[] {
  let current: V2IncidentStatus = 'investigating';
  return incident.timeline.map((entry) => {
    current = statusAfter(current, entry, incident);
    return current;
  });
}

function statusAfter(current: V2IncidentStatus, entry: TimelineEntry, incident: Incident): V2IncidentStatus {
  if (entry.kind === 'postmortem') return 'postmortem';
  const closes = incident.state === 'resolved' && incident.resolvedAt !== undefined && entry.at >= incident.resolvedAt;
  if (closes) return 'resolved';
  switch (entry.kind) {
    case 'update':
      return entry.status ?? current;
    case 'confirmed_down':
    case 'error_changed':
    case 'partial':
    case 'scope_changed':
      return 'identified';
    case 'recovered':
      return 'monitoring';
    default:
      return current;
  }
}

export function incidentStatus(incident: Incident): V2IncidentStatus {
  if (incident.state === 'resolved') return incident.timeline.some((entry) => entry.kind === 'postmortem') ? 'postmortem' : 'resolved';
  const last = updateStatuses(incident).filter((status) => status !== 'postmortem').at(-1) ?? 'investigating';
  return last === 'resolved' ? 'identified' : last;
}

/** The page components an incident touches, in page order. */
export function touchedComponents(status: PageStatus, incident: Incident): PageComponent[] {
  const ids = new Set(incident.monitorIds);
  return status.components.filter((component) => component.monitors.some((m) => ids.has(m.spec.id)));
}

/**
 * From the incident itself, so a resolved incident keeps the impact it had: `critical` when it covers every
 * (unpaused) monitor of some component on the page, i.e. that component was in a major outage; `major` when it
 * covers only some of a component's monitors (a partial outage); `none` when it touches nothing on the page.
 * An outage seen from some vantages only (scope `partial`) that never became global is `major` at most.
 */
export function incidentImpact(status: PageStatus, incident: Incident): V2Impact {
  const ids = new Set(incident.monitorIds);
  const touched = touchedComponents(status, incident);
  if (touched.length === 0) return 'none';
  if (onlyPartial(incident)) return 'major';
  const whole = touched.some((component) => {
    const counted = component.monitors.filter((m) => m.status !== 'paused');
    return counted.length > 0 && counted.every((m) => ids.has(m.spec.id));
  });
  return whole ? 'critical' : 'major';
}

/** Down for some places only, from its start to now (or its end): never confirmed down for everyone. */
function onlyPartial(incident: Incident): boolean {
  if (incident.scope?.kind !== 'partial') return false;
  return !incident.timeline.some((entry) => entry.kind === 'confirmed_down' || entry.scope?.kind === 'global');
}

export function v2Incident(context: V2Context, incident: Incident): V2Incident {
  const statuses = updateStatuses(incident);
  const updates = incident.timeline
    .map((entry, index): V2IncidentUpdate => ({
      id: entry.id,
      status: statuses[index] ?? 'investigating',
      body: entry.message,
      incident_id: incident.id,
      created_at: iso(entry.at),
      updated_at: iso(entry.at),
      display_at: iso(entry.at),
      affected_components: null,
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    }))
    .reverse();
  const monitoringIndex = statuses.indexOf('monitoring');
  const monitoringEntry = monitoringIndex >= 0 ? incident.timeline[monitoringIndex] : undefined;
  const positions = new Map(context.status.components.map((c, index) => [c.id, index] as const));
  return {
    id: incident.id,
    name: incident.title,
    status: incidentStatus(incident),
    created_at: iso(incident.startedAt),
    updated_at: iso(lastActivityAt(incident)),
    monitoring_at: monitoringEntry ? iso(monitoringEntry.at) : null,
    resolved_at: incident.resolvedAt === undefined ? null : iso(incident.resolvedAt),
    impact: incident.impact ?? incidentImpact(context.status, incident),
    shortlink: context.incidentUrl(incident.id),
    started_at: iso(incident.startedAt),
    page_id: context.page.slug,
    incident_updates: updates,
    components: touchedComponents(context.status, incident)
      .filter(isKnown)
      .map((c) => v2Component(context, c, positions.get(c.id) ?? 0)),
  };
}

export interface V2Data {
  readonly context: V2Context;
  /** Newest first, at most 50, as Statuspage's incidents.json. */
  readonly recent: readonly Incident[];
  readonly unresolved: readonly Incident[];
}

const pageOf = (data: V2Data) => v2Page(data.context, [...data.recent, ...data.unresolved]);

export function v2StatusJson(data: V2Data) {
  return { page: pageOf(data), status: v2Status(data.context.status.overall) };
}

export function v2ComponentsJson(data: V2Data) {
  return { page: pageOf(data), components: v2Components(data.context) };
}

export function v2IncidentsJson(data: V2Data) {
  return { page: pageOf(data), incidents: data.recent.map((i) => v2Incident(data.context, i)) };
}

export function v2UnresolvedJson(data: V2Data) {
  return { page: pageOf(data), incidents: data.unresolved.map((i) => v2Incident(data.context, i)) };
}

/** The maintenance windows of the page's monitors running now or due within 7 days (read/maintenance-v2.ts). */
export function v2ScheduledMaintenancesJson(data: V2Data, only?: V2MaintenanceStatus) {
  return { page: pageOf(data), scheduled_maintenances: v2ScheduledMaintenances(data.context, v2Component, only) };
}

export function v2SummaryJson(data: V2Data) {
  return {
    page: pageOf(data),
    components: v2Components(data.context),
    incidents: data.unresolved.map((i) => v2Incident(data.context, i)),
    scheduled_maintenances: v2ScheduledMaintenances(data.context, v2Component),
    status: v2Status(data.context.status.overall),
  };
}
