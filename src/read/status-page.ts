// Read model of the public status page: plain data (uptime per day, latency series, incidents) that the
// views in src/web only format. The pure parts are exported for table tests; load* functions do the I/O
// in a fixed, small number of queries whatever the number of monitors.
import type { PastDaysCache } from './past-days.js';
import { createHash } from 'node:crypto';
import type { CandorConfig, MonitorSpec, StatusPageSpec } from '../domain/monitor.js';
import type { Incident, MonitorState, MonitorStatus } from '../domain/state.js';
import type { ComponentStatus, OverallStatus } from '../domain/status.js';
import { coveredMs, uptimeOf, windowBuckets, type UptimeWindow } from '../domain/uptime.js';
import type { CheckResult } from '../domain/verdict.js';
import { MAX_MONITOR_FILTER } from '../storage/store.js';
import { bucketStart, percentileFromHistogram } from '../domain/rollup-math.js';
import type { Store } from '../storage/store.js';
import type { Rollup } from '../domain/rollup-math.js';
import { pageStatus, type PageStatus } from './components.js';
import type { ReadDeps } from './monitors.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Days of uptime bars on the page. */
export const BAR_DAYS = 90;

export interface StatusPageDeps extends ReadDeps {
  readonly config: CandorConfig;
  /** This checker's own network looks down (src/domain/vantage.ts): the page says so. */
  vantageImpaired?(): boolean;
}

export interface IncidentRef {
  readonly id: string;
  readonly title: string;
}

/** One UTC day of one monitor: the figures behind one uptime bar. */
export interface DayUptime {
  /** Start of the UTC day, epoch ms. */
  readonly start: number;
  readonly checks: number;
  readonly okChecks: number;
  /** 0..1; null when nothing was checked that day. */
  readonly uptime: number | null;
  /** Time covered by this monitor's incidents that day (until now for today). */
  readonly downtimeMs: number;
  readonly incidents: readonly IncidentRef[];
}

export interface LatencyPoint {
  /** Start of the bucket, epoch ms. */
  readonly start: number;
  readonly checks: number;
  /** Median and 95th percentile from the rollup histogram; null without checks. */
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
}

export interface UptimeWindows {
  readonly '24h': number | null;
  readonly '30d': number | null;
  readonly '90d': number | null;
}

export interface MonitorSummary {
  readonly id: string;
  readonly name: string;
  readonly status: MonitorStatus;
  readonly since?: number;
  /** Latency of the latest check. */
  readonly latencyMs?: number;
  readonly lastCheckedAt?: number;
  readonly days: readonly DayUptime[];
  readonly uptime: UptimeWindows;
  /** The last 24 hours, one point per hour, oldest first. */
  readonly latency: readonly LatencyPoint[];
}

export interface ComponentSummary {
  readonly id: string;
  readonly name: string;
  readonly status: ComponentStatus;
  readonly monitors: readonly MonitorSummary[];
}

export interface StatusPageView {
  readonly page: StatusPageSpec;
  readonly overall: OverallStatus;
  readonly components: readonly ComponentSummary[];
  /** Open incidents on this page's monitors, newest first. */
  readonly openIncidents: readonly Incident[];
  readonly generatedAt: number;
  /** Changes exactly when what the live banner shows changes: see liveState. */
  readonly fingerprint: string;
  /** The checker itself cannot reach the network: results are on hold. */
  readonly vantageImpaired: boolean;
}

// ---------------------------------------------------------------- pure parts

/** Starts of the `days` UTC days ending with today, oldest first. */
export function dayStarts(now: number, days = BAR_DAYS): number[] {
  const today = bucketStart(now, 'day');
  return Array.from({ length: days }, (_, i) => today - (days - 1 - i) * DAY_MS);
}

/**
 * One entry per UTC day for one monitor: checks and uptime from its daily rollups, downtime and
 * incidents from the incidents that touched it that day.
 */
export function dailyUptime(
  dayRollups: readonly Rollup[],
  incidents: readonly Incident[],
  now: number,
  days = BAR_DAYS,
): DayUptime[] {
  const byDay = new Map(dayRollups.map((r) => [r.bucketStart, r]));
  return dayStarts(now, days).map((start) => {
    const end = Math.min(start + DAY_MS, now);
    const rollup = byDay.get(start);
    const checks = rollup?.count ?? 0;
    const okChecks = rollup?.okCount ?? 0;
    const touching = incidents.filter((i) => i.startedAt < start + DAY_MS && (i.resolvedAt ?? now) > start);
    return {
      start,
      checks,
      okChecks,
      uptime: checks === 0 ? null : okChecks / checks,
      downtimeMs: end > start ? coveredMs(touching, start, end) : 0,
      incidents: touching.map((i) => ({ id: i.id, title: i.title })),
    };
  });
}

/** One point per bucket of [from, to) (buckets of `bucketMs`), oldest first; empty buckets have null percentiles. */
export function latencySeries(rollups: readonly Rollup[], from: number, to: number, bucketMs: number): LatencyPoint[] {
  const byStart = new Map(rollups.map((r) => [r.bucketStart, r]));
  const points: LatencyPoint[] = [];
  for (let start = Math.floor(from / bucketMs) * bucketMs; start < to; start += bucketMs) {
    const rollup = byStart.get(start);
    if (!rollup || rollup.count === 0) {
      points.push({ start, checks: 0, p50Ms: null, p95Ms: null });
      continue;
    }
    points.push({
      start,
      checks: rollup.count,
      p50Ms: percentileFromHistogram(rollup.histogram, 50, rollup.latencyMaxMs),
      p95Ms: percentileFromHistogram(rollup.histogram, 95, rollup.latencyMaxMs),
    });
  }
  return points;
}

/** Uptime over the last 24 hours (hourly rollups) and 30 / 90 days (daily rollups), as the API computes it. */
export function uptimeWindows(hourRollups: readonly Rollup[], dayRollups: readonly Rollup[], now: number): UptimeWindows {
  const since = (rollups: readonly Rollup[], window: UptimeWindow) => {
    const { from } = windowBuckets(window, now);
    return uptimeOf(rollups.filter((r) => r.bucketStart >= from && r.bucketStart <= now)).uptime;
  };
  return { '24h': since(hourRollups, '24h'), '30d': since(dayRollups, '30d'), '90d': since(dayRollups, '90d') };
}

/** What the live script compares: the overall verdict, each monitor's status and error, the open incidents. */
export function liveFingerprint(page: StatusPageSpec, status: PageStatus, states: ReadonlyMap<string, MonitorState>, vantageImpaired = false): string {
  const hash = createHash('sha256').update(`${page.slug}\n${status.overall.indicator}\n${vantageImpaired ? 'vantage impaired\n' : ''}`);
  for (const component of status.components) {
    for (const { spec, status: monitorStatus } of component.monitors) {
      const state = states.get(spec.id);
      hash.update(`${spec.id}\t${monitorStatus}\t${state?.openIncidentId ?? ''}\t${state?.lastErrorKind ?? ''}\n`);
    }
  }
  return hash.digest('base64url').slice(0, 16);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

// ---------------------------------------------------------------- I/O

export function findPage(config: CandorConfig, slug?: string): StatusPageSpec | undefined {
  return slug === undefined ? config.statusPages.find((p) => p.isDefault) ?? config.statusPages[0] : config.statusPages.find((p) => p.slug === slug);
}

export function currentPageStatus(deps: StatusPageDeps, page: StatusPageSpec): PageStatus {
  return pageStatus(page, deps.monitors.values(), deps.states());
}

export interface LiveState {
  readonly slug: string;
  readonly indicator: string;
  readonly description: string;
  readonly fingerprint: string;
}

/** The small JSON the page polls: from memory only, no query. */
export function liveState(deps: StatusPageDeps, page: StatusPageSpec): LiveState {
  const status = currentPageStatus(deps, page);
  return {
    slug: page.slug,
    indicator: status.overall.indicator,
    description: status.overall.description,
    fingerprint: liveFingerprint(page, status, deps.states(), deps.vantageImpaired?.() ?? false),
  };
}

/** True when the page shows every monitor (no component filter). */
const showsAll = (page: StatusPageSpec): boolean => page.components.length === 0;

/** Incidents that started at or after `from` (paged through, newest first) plus every open one. */
export async function incidentsSince(store: Store, from: number): Promise<Incident[]> {
  const PAGE = 500;
  const found = new Map<string, Incident>();
  for (const open of await store.listIncidents({ state: 'open', limit: 10_000 })) found.set(open.id, open);
  let before: string | undefined;
  for (;;) {
    const page = await store.listIncidents({ limit: PAGE, ...(before ? { before } : {}) });
    for (const incident of page) if (incident.startedAt >= from || incident.state === 'open') found.set(incident.id, incident);
    const last = page.at(-1);
    if (!last || page.length < PAGE || last.startedAt < from) break;
    before = last.id;
  }
  return [...found.values()].sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : -1));
}

export async function loadStatusPage(deps: StatusPageDeps, page: StatusPageSpec, pastDays?: PastDaysCache): Promise<StatusPageView> {
  const now = deps.clock.now();
  const status = currentPageStatus(deps, page);
  const ids = status.components.flatMap((c) => c.monitors.map((m) => m.spec.id));
  const idSet = new Set(ids);
  const firstDay = dayStarts(now)[0] as number;
  const [dayRollups, hourRollups, latest, incidents] = await Promise.all([
    pastDays
      ? pastDays.dailyRollups(ids, Math.min(firstDay, bucketStart(now - 90 * DAY_MS, 'day')))
      : deps.store.listRollupsForMonitors(ids, 'day', Math.min(firstDay, bucketStart(now - 90 * DAY_MS, 'day')), now + 1),
    deps.store.listRollupsForMonitors(ids, 'hour', bucketStart(now - DAY_MS, 'hour'), now + 1),
    deps.store.latestResults(ids),
    incidentsSince(deps.store, firstDay),
  ]);
  const onPage = incidents.filter((i) => i.monitorIds.some((id) => idSet.has(id)));
  const daysById = groupBy(dayRollups, (r) => r.monitorId);
  const hoursById = groupBy(hourRollups, (r) => r.monitorId);
  const incidentsById = new Map<string, Incident[]>();
  for (const incident of onPage) {
    for (const id of incident.monitorIds) {
      const list = incidentsById.get(id) ?? [];
      list.push(incident);
      incidentsById.set(id, list);
    }
  }
  const components = status.components.map(
    (component): ComponentSummary => ({
      id: component.id,
      name: component.name,
      status: component.status,
      monitors: component.monitors.map(({ spec, status: monitorStatus, since }) =>
        monitorSummary(spec, monitorStatus, since, latest.get(spec.id), daysById.get(spec.id) ?? [], hoursById.get(spec.id) ?? [], incidentsById.get(spec.id) ?? [], now),
      ),
    }),
  );
  return {
    page,
    overall: status.overall,
    components,
    openIncidents: onPage.filter((i) => i.state === 'open'),
    generatedAt: now,
    fingerprint: liveFingerprint(page, status, deps.states(), deps.vantageImpaired?.() ?? false),
    vantageImpaired: deps.vantageImpaired?.() ?? false,
  };
}

function monitorSummary(
  spec: MonitorSpec,
  status: MonitorStatus,
  since: number | undefined,
  latest: CheckResult | undefined,
  dayRollups: readonly Rollup[],
  hourRollups: readonly Rollup[],
  incidents: readonly Incident[],
  now: number,
): MonitorSummary {
  return {
    id: spec.id,
    name: spec.name,
    status,
    ...(since !== undefined ? { since } : {}),
    ...(latest ? { latencyMs: latest.latencyMs, lastCheckedAt: latest.startedAt } : {}),
    days: dailyUptime(dayRollups, incidents, now),
    uptime: uptimeWindows(hourRollups, dayRollups, now),
    latency: latencySeries(hourRollups, now - DAY_MS + HOUR_MS, now + 1, HOUR_MS),
  };
}

// ---------------------------------------------------------------- other pages

/** The monitors a page shows, by id. */
export function pageMonitors(deps: StatusPageDeps, page: StatusPageSpec): Map<string, MonitorSpec> {
  const status = currentPageStatus(deps, page);
  return new Map(status.components.flatMap((c) => c.monitors.map((m) => [m.spec.id, m.spec] as const)));
}

/** An incident if it concerns this page, with the names of the monitors it affected. */
export async function loadIncident(deps: StatusPageDeps, page: StatusPageSpec, id: string) {
  const incident = await deps.store.getIncident(id);
  if (!incident) return undefined;
  const shown = pageMonitors(deps, page);
  if (!showsAll(page) && !incident.monitorIds.some((m) => shown.has(m))) return undefined;
  const monitorNames = new Map(incident.monitorIds.map((m) => [m, deps.monitors.get(m)?.name ?? m]));
  return { incident, monitorNames, onPage: new Set(incident.monitorIds.filter((m) => shown.has(m))), now: deps.clock.now() };
}

export interface HistoryPage {
  readonly incidents: readonly Incident[];
  /** Cursor of the next (older) page; undefined on the last one. */
  readonly nextBefore?: string;
  readonly monitorNames: ReadonlyMap<string, string>;
  readonly now: number;
}

/** Past (and open) incidents of the page's monitors, newest first, `limit` per page. */
export async function loadHistory(deps: StatusPageDeps, page: StatusPageSpec, query: { before?: string; limit: number }): Promise<HistoryPage> {
  const shown = pageMonitors(deps, page);
  const monitorNames = new Map([...deps.monitors.values()].map((m) => [m.id, m.name]));
  const now = deps.clock.now();
  if (showsAll(page)) {
    const incidents = await deps.store.listIncidents({ limit: query.limit, ...(query.before ? { before: query.before } : {}) });
    const last = incidents.at(-1);
    return { incidents, ...(incidents.length === query.limit && last ? { nextBefore: last.id } : {}), monitorNames, now };
  }
  // A filtered page reads larger pages and keeps what concerns it, a bounded number of times.
  const SCAN = 200;
  const found: Incident[] = [];
  let before = query.before;
  const filter = shown.size <= MAX_MONITOR_FILTER ? { monitorIds: [...shown.keys()] } : {};
  for (let round = 0; round < 20; round++) {
    const batch = await deps.store.listIncidents({ limit: SCAN, ...filter, ...(before ? { before } : {}) });
    for (const incident of batch) {
      if (!incident.monitorIds.some((m) => shown.has(m))) continue;
      found.push(incident);
      if (found.length === query.limit) return { incidents: found, nextBefore: incident.id, monitorNames, now };
    }
    const last = batch.at(-1);
    if (!last || batch.length < SCAN) return { incidents: found, monitorNames, now };
    before = last.id;
  }
  return { incidents: found, ...(before ? { nextBefore: before } : {}), monitorNames, now };
}

export interface MonitorDetail {
  readonly summary: MonitorSummary;
  readonly spec: MonitorSpec;
  readonly componentName: string;
  /** Hourly points over 7 days and daily points over 30 days, oldest first. */
  readonly latency7d: readonly LatencyPoint[];
  readonly latency30d: readonly LatencyPoint[];
  /** Newest first. */
  readonly failures: readonly CheckResult[];
  readonly incidents: readonly Incident[];
}

const RECENT_FAILURES = 20;

export async function loadMonitor(deps: StatusPageDeps, page: StatusPageSpec, id: string): Promise<MonitorDetail | undefined> {
  const spec = pageMonitors(deps, page).get(id);
  if (!spec) return undefined;
  const now = deps.clock.now();
  const state = deps.states().get(id);
  const firstDay = dayStarts(now)[0] as number;
  const [dayRollups, hourRollups, latest, results, incidents] = await Promise.all([
    deps.store.listRollups(id, 'day', Math.min(firstDay, bucketStart(now - 90 * DAY_MS, 'day')), now + 1),
    deps.store.listRollups(id, 'hour', bucketStart(now - 7 * DAY_MS, 'hour'), now + 1),
    deps.store.latestResults([id]),
    deps.store.listResults(id, { limit: 1000 }),
    deps.store.listIncidents({ monitorId: id, limit: 200 }),
  ]);
  const recent = incidents.filter((i) => i.state === 'open' || (i.resolvedAt ?? now) >= firstDay);
  const summary = monitorSummary(spec, state?.status ?? 'pending', state?.since, latest.get(id), dayRollups, hourRollups, recent, now);
  return {
    summary,
    spec,
    componentName: spec.component,
    latency7d: latencySeries(hourRollups, now - 7 * DAY_MS + HOUR_MS, now + 1, HOUR_MS),
    latency30d: latencySeries(dayRollups, now - 29 * DAY_MS, now + 1, DAY_MS),
    failures: results.filter((r) => !r.ok).slice(0, RECENT_FAILURES),
    incidents: incidents.slice(0, 20),
  };
}
