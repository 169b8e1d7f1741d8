// Read model of the public status page: plain data (uptime per day, latency series, incidents) that the
// views in src/web only format. The pure parts are exported for table tests; load* functions do the I/O
// in a fixed, small number of queries whatever the number of monitors.
import { incidentAcknowledgements } from './declared.js';
import { declaredNotes, type DeclaredNote } from './declared-notes.js';
import { groupByMonitor, type PastDaysCache } from './past-days.js';
import { createHash } from 'node:crypto';
import type { CandorConfig, MonitorSpec, StatusPageSpec } from '../domain/monitor.js';
import type { Incident, MonitorState, MonitorStatus } from '../domain/state.js';
import { coveredMs, windowBuckets, type CheckCounts, type Interval, type UptimeWindow } from '../domain/uptime.js';
import type { CheckResult } from '../domain/verdict.js';
import { MAX_MONITOR_FILTER } from '../storage/store.js';
import { bucketStart, percentileFromHistogram } from '../domain/rollup-math.js';
import type { Store } from '../storage/store.js';
import type { Rollup, RollupCounts } from '../domain/rollup-math.js';
import { pageStatus, type PageComponentStatus, type PageOverall, type PageStatus } from './components.js';
import { areUtcDays, localDays, spanIndex, type DaySpan } from './local-days.js';
import { measuredLatency } from './measured.js';
import { latestResultsOf, type ReadDeps } from './monitors.js';
import { placeRows, placesOf, type PlaceRow, type Places } from './places.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Days of uptime bars on the page. */
export const BAR_DAYS = 90;

export interface StatusPageDeps extends ReadDeps {
  readonly config: CandorConfig;
}

export interface IncidentRef {
  readonly id: string;
  readonly title: string;
}

/** One day of one monitor, in the page's time zone: the figures behind one uptime bar. */
export interface DayUptime {
  /** Start of the local day, epoch ms. */
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

/** A monitor's state as a page shows it: "unknown" while the checker is offline (its last state is not current). */
export type ShownMonitorStatus = MonitorStatus | 'unknown';

export interface MonitorSummary {
  readonly id: string;
  readonly name: string;
  readonly status: ShownMonitorStatus;
  readonly since?: number;
  /** Response time of the latest check, only when it reached its target (see measured.ts). */
  readonly latencyMs?: number;
  readonly lastCheckedAt?: number;
  readonly days: readonly DayUptime[];
  readonly uptime: UptimeWindows;
  /** The last 24 hours, one point per hour, oldest first. */
  readonly latency: readonly LatencyPoint[];
  /** What the platform's own status page says now (monitors with a declared source). */
  readonly declared?: DeclaredNote;
  /** Where it is checked from (absent without vantage reads). */
  readonly places?: Places;
}

export interface ComponentSummary {
  readonly id: string;
  readonly name: string;
  readonly status: PageComponentStatus;
  readonly monitors: readonly MonitorSummary[];
}

export interface StatusPageView {
  readonly page: StatusPageSpec;
  readonly overall: PageOverall;
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

/** Starts of the `days` days ending with today in `timeZone` (UTC by default), oldest first. */
export function dayStarts(now: number, days = BAR_DAYS, timeZone = 'UTC'): number[] {
  return localDays(now, timeZone, days).map((day) => day.start);
}

/** Checks per day of one monitor (aligned with `spans`), each rollup counted in the day its bucket starts in. */
export function countsPerDay(spans: readonly DaySpan[], rollups: readonly RollupCounts[]): CheckCounts[] {
  const counts = spans.map(() => ({ count: 0, okCount: 0 }));
  for (const rollup of rollups) {
    const day = counts[spanIndex(spans, rollup.bucketStart)];
    if (!day) continue;
    day.count += rollup.count;
    day.okCount += rollup.okCount;
  }
  return counts;
}

/**
 * One entry per day for one monitor: checks and uptime from `counts` (aligned with `spans`), downtime
 * and incidents from the incidents that touched it that day.
 */
/** `notRunning`: when this Candor was not running; such time is no data, not downtime. */
export function dailyUptime(
  spans: readonly DaySpan[],
  counts: readonly (CheckCounts | undefined)[],
  incidents: readonly Incident[],
  now: number,
  notRunning: readonly Interval[] = [],
): DayUptime[] {
  // 90 days × every monitor of a page, on every render: most monitors had no incident in the period,
  // and most days of those that had one were untouched, so those days skip the interval maths (and a
  // plain loop, without a closure per day, allocates nothing for them: see touchingDay).
  const first = spans[0]?.start ?? 0;
  const near = incidents.filter((incident) => (incident.resolvedAt ?? now) > first);
  const days: DayUptime[] = new Array(spans.length);
  for (let i = 0; i < spans.length; i++) {
    const { start, end: dayEnd } = spans[i]!;
    const checks = counts[i]?.count ?? 0;
    const okChecks = counts[i]?.okCount ?? 0;
    const touching = near.length === 0 ? near : touchingDay(near, start, dayEnd, now);
    if (touching.length === 0) {
      days[i] = plainDay(start, checks, okChecks);
      continue;
    }
    const end = Math.min(dayEnd, now);
    days[i] = {
      start,
      checks,
      okChecks,
      uptime: checks === 0 ? null : okChecks / checks,
      downtimeMs: end > start ? coveredMs(touching, start, end, notRunning) : 0,
      incidents: touching.map((incident) => ({ id: incident.id, title: incident.title })),
    };
  }
  return days;
}

// Not a closure in the loop above: a closure there would make V8 keep each day's variables in a
// context object allocated on every iteration, 9,000 times a render, taken or not.
function touchingDay(incidents: readonly Incident[], start: number, end: number, now: number): Incident[] {
  return incidents.filter((incident) => incident.startedAt < end && (incident.resolvedAt ?? now) > start);
}

const NO_INCIDENTS: readonly IncidentRef[] = Object.freeze([]);

/**
 * Days no incident touched, one frozen object per (start, checks, passed): a page of 100 monitors makes
 * 9,000 days a render, nearly all of them the same as in the previous render. Shared objects spare the
 * allocations (and the garbage collections they cost), and let the bars' markup be kept by identity
 * (uptime-bars.ts). Keyed by minute of start, checks and passed checks. Bounded by the number of days
 * kept: cleared when it grows past a thousand monitors' worth.
 */
const plainDays = new Map<number, Map<number, Map<number, DayUptime>>>();
/** About 10 MB at most; a page of more monitors than this holds days for makes them afresh, as before. */
const MAX_PLAIN_DAYS = 100_000;
let plainDayCount = 0;
const MINUTE_MS = 60_000;
const SMALL = 2 ** 30;

function plainDay(start: number, checks: number, okChecks: number): DayUptime {
  const minute = start / MINUTE_MS;
  if (!(Number.isInteger(minute) && minute < SMALL && Number.isInteger(checks) && checks < SMALL && Number.isInteger(okChecks) && okChecks >= 0 && okChecks <= checks)) {
    return makePlainDay(start, checks, okChecks);
  }
  const known = plainDays.get(minute)?.get(checks)?.get(okChecks);
  if (known) return known;
  if (plainDayCount >= MAX_PLAIN_DAYS) {
    plainDays.clear();
    plainDayCount = 0;
  }
  let byChecks = plainDays.get(minute);
  if (!byChecks) plainDays.set(minute, (byChecks = new Map()));
  let byPassed = byChecks.get(checks);
  if (!byPassed) byChecks.set(checks, (byPassed = new Map()));
  const day = makePlainDay(start, checks, okChecks);
  byPassed.set(okChecks, day);
  plainDayCount++;
  return day;
}

function makePlainDay(start: number, checks: number, okChecks: number): DayUptime {
  return Object.freeze({ start, checks, okChecks, uptime: checks === 0 ? null : okChecks / checks, downtimeMs: 0, incidents: NO_INCIDENTS });
}

/**
 * One point per bucket of [from, to) (buckets of `bucketMs`), oldest first. Empty buckets have null
 * percentiles, and so do buckets where every check failed: their durations (a refused connection
 * after 1 ms, a timeout after 10 s) are not response times.
 */
export function latencySeries(rollups: readonly Rollup[], from: number, to: number, bucketMs: number): LatencyPoint[] {
  const first = Math.floor(from / bucketMs) * bucketMs;
  // By bucket index rather than a Map: called for every monitor of a page on every render.
  const byIndex: (Rollup | undefined)[] = new Array(Math.max(0, Math.ceil((to - first) / bucketMs)));
  for (const rollup of rollups) {
    const index = (rollup.bucketStart - first) / bucketMs;
    if (Number.isInteger(index) && index >= 0 && index < byIndex.length) byIndex[index] = rollup;
  }
  const points: LatencyPoint[] = [];
  for (let start = first, index = 0; start < to; start += bucketMs, index++) {
    const rollup = byIndex[index];
    points.push(rollup ? pointOf(rollup) : { start, checks: 0, p50Ms: null, p95Ms: null });
  }
  return points;
}

/**
 * Each rollup's point, made once: the hours that have ended come from the same rollup objects render
 * after render (past-days.ts), and two percentiles for each of 2,400 hours were a good part of a
 * page's render. Rollups are never changed once read; a new read makes new objects.
 */
const points = new WeakMap<Rollup, LatencyPoint>();

function pointOf(rollup: Rollup): LatencyPoint {
  let point = points.get(rollup);
  if (!point) {
    point = Object.freeze(
      rollup.okCount === 0
        ? { start: rollup.bucketStart, checks: rollup.count, p50Ms: null, p95Ms: null }
        : {
            start: rollup.bucketStart,
            checks: rollup.count,
            p50Ms: percentileFromHistogram(rollup.histogram, 50, rollup.latencyMaxMs),
            p95Ms: percentileFromHistogram(rollup.histogram, 95, rollup.latencyMaxMs),
          },
    );
    points.set(rollup, point);
  }
  return point;
}

/** Uptime over the last 24 hours (hourly rollups) and 30 / 90 days (daily rollups), as the API computes it. */
export function uptimeWindows(hourRollups: readonly RollupCounts[], dayRollups: readonly RollupCounts[], now: number): UptimeWindows {
  // Summed in place (the same figure as uptimeOf over the rollups in the window): for every monitor
  // of a page on every render.
  const since = (rollups: readonly RollupCounts[], window: UptimeWindow) => {
    const { from } = windowBuckets(window, now);
    let checks = 0;
    let okChecks = 0;
    for (const r of rollups) {
      if (r.bucketStart < from || r.bucketStart > now) continue;
      checks += r.count;
      okChecks += r.okCount;
    }
    return checks === 0 ? null : okChecks / checks;
  };
  return { '24h': since(hourRollups, '24h'), '30d': since(dayRollups, '30d'), '90d': since(dayRollups, '90d') };
}

/**
 * What the live script compares: the banner, the offline notice, and per monitor its status, since when,
 * its open incident and its latest error. Every timeline entry Candor writes comes with one of these
 * changing (a confirmation or recovery changes the status, a new error kind the error, a maintenance
 * window the status), so an open page also follows incident updates.
 */
export function liveFingerprint(page: StatusPageSpec, status: PageStatus, states: ReadonlyMap<string, MonitorState>, revision = 0): string {
  // `revision` moves with what operators write (incidents, monitors, windows, the config), which changes no state.
  const hash = createHash('sha256').update(`${page.slug}\n${revision}\n${status.overall.indicator}\n${status.overall.description}\n${status.vantageImpaired ? 'vantage impaired\n' : ''}`);
  for (const component of status.components) {
    for (const { spec, status: monitorStatus } of component.monitors) {
      const state = states.get(spec.id);
      hash.update(`${spec.id}\t${monitorStatus}\t${state?.since ?? ''}\t${state?.openIncidentId ?? ''}\t${state?.lastErrorKind ?? ''}\t${state?.scope?.vantages.join(',') ?? ''}\n`);
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
  return pageStatus(page, deps.monitors.values(), deps.states(), deps.vantageImpaired?.() ?? false, deps.operatorImpacts?.());
}

export interface LiveState {
  readonly slug: string;
  readonly indicator: string;
  readonly description: string;
  /** The checker's own network is down: the page shows no verdict as current. */
  readonly vantageImpaired: boolean;
  readonly fingerprint: string;
}

/** The small JSON the page polls: from memory only, no query. */
export function liveState(deps: StatusPageDeps, page: StatusPageSpec): LiveState {
  const status = currentPageStatus(deps, page);
  return {
    slug: page.slug,
    indicator: status.overall.indicator,
    description: status.overall.description,
    vantageImpaired: status.vantageImpaired,
    fingerprint: liveFingerprint(page, status, deps.states(), deps.revision?.()),
  };
}

/** True when the page shows every monitor (no component filter). */
const showsAll = (page: StatusPageSpec): boolean => page.components.length === 0;

/** Incidents still open at or after `from` (open ones, and resolved ones that ran into it, whenever they started), newest first. */
export async function incidentsSince(store: Store, from: number): Promise<Incident[]> {
  const PAGE = 500;
  const found: Incident[] = [];
  let before: string | undefined;
  // Bounded: 100 pages of 500 is far beyond what 90 days hold.
  for (let round = 0; round < 100; round++) {
    const page = await store.listIncidents({ limit: PAGE, activeSince: from, ...(before ? { before } : {}) });
    found.push(...page);
    const last = page.at(-1);
    if (!last || page.length < PAGE) break;
    before = last.id;
  }
  return found;
}

/** What a long-running server keeps between renders; without them every render reads everything. */
export interface PageCaches {
  readonly pastDays: PastDaysCache;
}

export async function loadStatusPage(deps: StatusPageDeps, page: StatusPageSpec, caches?: PageCaches): Promise<StatusPageView> {
  const pastDays = caches?.pastDays;
  const now = deps.clock.now();
  const status = currentPageStatus(deps, page);
  const ids = status.components.flatMap((c) => c.monitors.map((m) => m.spec.id));
  const idSet = new Set(ids);
  const spans = localDays(now, page.timezone, BAR_DAYS);
  const firstDay = spans[0]!.start;
  // Daily rollups (UTC days) give the 30- and 90-day uptime, as in the API, and the bars of a UTC page;
  // a page in another zone counts its bars' local days from hourly rollups.
  const dayFrom = bucketStart(Math.min(firstDay, now - 90 * DAY_MS), 'day');
  const utcBars = areUtcDays(spans);
  const hourFrom = bucketStart(now - DAY_MS, 'hour');
  // With the caches, today's daily counts are summed from the hourly rows (the last 24 hours hold today).
  const hoursRead = pastDays ? pastDays.hourlyRollupsByMonitor(ids, hourFrom) : deps.store.listRollupsForMonitors(ids, 'hour', hourFrom, now + 1).then(groupByMonitor);
  const [daysById, localCounts, hoursById, latest, incidents, notRunning] = await Promise.all([
    pastDays ? hoursRead.then((hours) => pastDays.dailyRollupsByMonitor(ids, dayFrom, hours)) : deps.store.listRollupCountsForMonitors(ids, 'day', dayFrom, now + 1).then(groupByMonitor),
    utcBars ? undefined : localDayCounts(deps, ids, spans, now, pastDays),
    hoursRead,
    latestResultsOf(deps, ids),
    incidentsSince(deps.store, firstDay),
    notRunningSince(deps.store, firstDay, now),
  ]);
  const onPage = incidents.filter((i) => i.monitorIds.some((id) => idSet.has(id)));
  const incidentsById = new Map<string, Incident[]>();
  // Downtime comes from outages only: a broken sovereignty policy is not the platform being down.
  for (const incident of onPage) {
    if (incident.kind === 'policy_violation') continue;
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
      monitors: component.monitors.map(({ spec, status: monitorStatus, since }) => {
        const days = daysById.get(spec.id) ?? [];
        const bars = { spans, counts: localCounts ? (localCounts.get(spec.id) ?? []) : countsPerDay(spans, days) };
        const shown = shownStatus(monitorStatus, status.vantageImpaired);
        const summary = monitorSummary(spec, shown, since, latest.get(spec.id), bars, days, hoursById.get(spec.id) ?? [], incidentsById.get(spec.id) ?? [], now, notRunning);
        return deps.vantages ? { ...summary, places: placesOf(deps.vantages, spec.id, deps.states().get(spec.id)) } : summary;
      }),
    }),
  );
  const notes = await declaredNotes(deps, new Map(components.flatMap((c) => c.monitors.map((m) => [m.id, m.status] as const))));
  return {
    page,
    overall: status.overall,
    components: notes.size === 0 ? components : components.map((c) => ({ ...c, monitors: c.monitors.map((m) => (notes.has(m.id) ? { ...m, declared: notes.get(m.id)! } : m)) })),
    openIncidents: onPage.filter((i) => i.state === 'open'),
    generatedAt: now,
    fingerprint: liveFingerprint(page, status, deps.states(), deps.revision?.()),
    vantageImpaired: status.vantageImpaired,
  };
}

/** When this Candor was not running since `from`, as intervals for coveredMs. */
async function notRunningSince(store: Store, from: number, now: number): Promise<Interval[]> {
  return (await store.listHubGaps(from, now)).map((gap) => ({ startedAt: gap.from, resolvedAt: gap.to }));
}

/** While the checker is offline no monitor's last state is current, except a pause (a fact of the config). */
export function shownStatus(status: MonitorStatus, vantageImpaired: boolean): ShownMonitorStatus {
  return vantageImpaired && status !== 'paused' ? 'unknown' : status;
}

async function localDayCounts(deps: StatusPageDeps, ids: readonly string[], spans: readonly DaySpan[], now: number, pastDays?: PastDaysCache) {
  if (pastDays) return pastDays.localDayCounts(ids, spans);
  const hours = await deps.store.listRollupsForMonitors(ids, 'hour', spans[0]!.start, now + 1);
  return new Map([...groupBy(hours, (r) => r.monitorId)].map(([id, list]) => [id, countsPerDay(spans, list)] as const));
}

interface BarCounts {
  readonly spans: readonly DaySpan[];
  readonly counts: readonly CheckCounts[];
}

function monitorSummary(
  spec: MonitorSpec,
  status: ShownMonitorStatus,
  since: number | undefined,
  latest: CheckResult | undefined,
  bars: BarCounts,
  dayRollups: readonly RollupCounts[],
  hourRollups: readonly Rollup[],
  incidents: readonly Incident[],
  now: number,
  notRunning: readonly Interval[],
): MonitorSummary {
  const latencyMs = latest && measuredLatency(latest);
  return {
    id: spec.id,
    name: spec.name,
    status,
    ...(since !== undefined && status !== 'unknown' ? { since } : {}),
    ...(latencyMs !== undefined ? { latencyMs } : {}),
    ...(latest ? { lastCheckedAt: latest.startedAt } : {}),
    days: dailyUptime(bars.spans, bars.counts, incidents, now, notRunning),
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
  const acknowledgements = await incidentAcknowledgements(deps, incident);
  return { incident, monitorNames, onPage: new Set(incident.monitorIds.filter((m) => shown.has(m))), now: deps.clock.now(), acknowledgements };
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
  /** Each place's latest check, side by side (empty without vantage reads). */
  readonly places: readonly PlaceRow[];
}

const RECENT_FAILURES = 20;

export async function loadMonitor(deps: StatusPageDeps, page: StatusPageSpec, id: string): Promise<MonitorDetail | undefined> {
  const spec = pageMonitors(deps, page).get(id);
  if (!spec) return undefined;
  const now = deps.clock.now();
  const state = deps.states().get(id);
  const spans = localDays(now, page.timezone, BAR_DAYS);
  const firstDay = spans[0]!.start;
  const utcBars = areUtcDays(spans);
  const hourFrom = bucketStart(utcBars ? now - 7 * DAY_MS : Math.min(firstDay, now - 7 * DAY_MS), 'hour');
  const [dayRollups, hourRollups, latest, results, barIncidents, incidents, notRunning] = await Promise.all([
    deps.store.listRollups(id, 'day', bucketStart(Math.min(firstDay, now - 90 * DAY_MS), 'day'), now + 1),
    deps.store.listRollups(id, 'hour', hourFrom, now + 1),
    latestResultsOf(deps, [id]),
    deps.store.listResults(id, { limit: 1000 }),
    // Every incident reaching into the bars, however long ago it started.
    deps.store.listIncidents({ monitorId: id, kind: 'outage', activeSince: firstDay, limit: 1000 }),
    deps.store.listIncidents({ monitorId: id, limit: 20 }),
    notRunningSince(deps.store, firstDay, now),
  ]);
  const bars = { spans, counts: countsPerDay(spans, utcBars ? dayRollups : hourRollups) };
  const shown = shownStatus(state?.status ?? 'pending', deps.vantageImpaired?.() ?? false);
  const lastDay = hourRollups.filter((r) => r.bucketStart >= bucketStart(now - DAY_MS, 'hour'));
  const plain = monitorSummary(spec, shown, state?.since, latest.get(id), bars, dayRollups, lastDay, barIncidents, now, notRunning);
  const summary = deps.vantages ? { ...plain, places: placesOf(deps.vantages, id, state) } : plain;
  return {
    summary,
    places: deps.vantages ? await placeRows(deps.vantages, id, (resultId) => deps.store.getResult(resultId)) : [],
    spec,
    componentName: spec.component,
    latency7d: latencySeries(hourRollups, now - 7 * DAY_MS + HOUR_MS, now + 1, HOUR_MS),
    latency30d: latencySeries(dayRollups, now - 29 * DAY_MS, now + 1, DAY_MS),
    failures: results.filter((r) => !r.ok).slice(0, RECENT_FAILURES),
    incidents,
  };
}
