// Read models for monitors: current state, results, uptime. Small use-case functions with explicit deps.
import type { ApiSettings, MonitorSpec } from '../domain/monitor.js';
import { createRedactor } from '../domain/redaction.js';
import type { MonitorState } from '../domain/state.js';
import { NotFoundError } from '../domain/errors.js';
import { coveredMs, uptimeOf, windowBuckets, type UptimeWindow } from '../domain/uptime.js';
import type { Clock } from '../runtime/clock.js';
import type { ResultQuery, Store } from '../storage/store.js';
import type { LatestResultsCache } from './latest-results.js';
import type { ComponentStatus } from '../domain/status.js';
import { iso, resultJson, type ResultView } from './serialise.js';
import { latestOfVantages, monitorVantages, type VantageReads } from './vantages.js';

export interface ReadDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly monitors: ReadonlyMap<string, MonitorSpec>;
  /** Current states, kept by ingest (rebuilt from storage at start). */
  states(): ReadonlyMap<string, MonitorState>;
  /** Monitors' latest results, kept between requests (only those whose state moved on are read again). */
  readonly latest?: LatestResultsCache;
  /** This checker's own network looks down (src/domain/vantage.ts): no state is current then. */
  vantageImpaired?(): boolean;
  /** What operators' open incidents say of components (management/operator-impacts.ts); absent: nothing. */
  operatorImpacts?(): ReadonlyMap<string, ComponentStatus>;
  /** Absent: the defaults (results public). */
  readonly api?: ApiSettings;
  /** Where a monitor comes from; absent: every monitor is from the config file. */
  sourceOf?(id: string): 'config' | 'api' | undefined;
  /** Grows whenever operators changed something pages show (monitors, incidents, windows, the config). */
  revision?(): number;
  /** Reference targets (config `controls:`): not monitors, but their raw results are served (agents' signed batches cover them). */
  readonly controls?: ReadonlyMap<string, MonitorSpec>;
  /** Each monitor's vantages (absent: monitors have no `vantages` in their JSON). */
  readonly vantages?: VantageReads;
}

/** Raw results may be made private with `api.publicResults: false`. */
export function resultsArePublic(deps: Pick<ReadDeps, 'api'>): boolean {
  return deps.api?.publicResults !== false;
}

function resultView(deps: ReadDeps, spec: MonitorSpec): ResultView {
  return { redactor: createRedactor(spec.secrets ?? []), showExcerpt: spec.public?.excerpt === true, showDetails: resultsArePublic(deps) };
}

export function latestResultsOf(deps: ReadDeps, ids: readonly string[]) {
  return deps.latest ? deps.latest.latestResults(ids, deps.states()) : deps.store.latestResults(ids);
}

export async function listMonitors(deps: ReadDeps) {
  const specs = [...deps.monitors.values()];
  const latest = await latestResultsOf(deps, specs.map((m) => m.id));
  return specs.map((spec) => {
    const view = resultView(deps, spec);
    return { ...monitorJson(deps, spec, deps.states().get(spec.id), latest.get(spec.id), view), ...(deps.vantages ? { vantages: monitorVantages(deps.vantages, spec.id, view) } : {}) };
  });
}

export async function getMonitor(deps: ReadDeps, id: string) {
  const spec = requireMonitor(deps, id);
  const latest = await latestResultsOf(deps, [id]);
  const view = resultView(deps, spec);
  const json = monitorJson(deps, spec, deps.states().get(id), latest.get(id), view);
  if (!deps.vantages) return json;
  const results = await latestOfVantages(deps.vantages, id, (resultId) => deps.store.getResult(resultId));
  return { ...json, vantages: monitorVantages(deps.vantages, id, view, results) };
}

export async function listMonitorResults(deps: ReadDeps, id: string, query: ResultQuery) {
  const control = deps.controls?.get(id);
  const spec = control ?? requireMonitor(deps, id);
  const results = await deps.store.listResults(id, query);
  const last = results.at(-1);
  const view = resultView(deps, spec);
  return { results: results.map((result) => resultJson(result, view)), nextBefore: results.length === query.limit && last ? last.id : null };
}

export async function monitorUptime(deps: ReadDeps, id: string, window: UptimeWindow) {
  requireMonitor(deps, id);
  const now = deps.clock.now();
  // 24h from 24 hourly rollups, longer windows from daily ones (90 rows at most).
  const { granularity, from } = windowBuckets(window, now);
  const rollups = await deps.store.listRollups(id, granularity, from, now + 1);
  const figure = uptimeOf(rollups);
  // Only incidents that reach into the window, without their timelines: this answers every uptime badge.
  const incidents = await deps.store.listIncidents({ monitorId: id, kind: 'outage', activeSince: from, withoutTimelines: true, limit: 10_000 });
  // While this Candor was not running nothing was observed: neither up nor down.
  const notRunning = (await deps.store.listHubGaps(from, now)).map((gap) => ({ startedAt: gap.from, resolvedAt: gap.to }));
  const downtimeMs = coveredMs(incidents, from, now, notRunning);
  return {
    window,
    from: iso(from),
    to: iso(now),
    uptime: figure.uptime,
    checks: figure.checks,
    okChecks: figure.okChecks,
    downtimeSeconds: Math.round(downtimeMs / 1000),
    notRunningSeconds: Math.round(coveredMs(notRunning, from, now) / 1000),
  };
}

export function requireMonitor(deps: ReadDeps, id: string): MonitorSpec {
  const spec = deps.monitors.get(id);
  if (!spec) throw new NotFoundError('monitor', id);
  return spec;
}

function monitorJson(deps: ReadDeps, spec: MonitorSpec, state: MonitorState | undefined, latest: Parameters<typeof resultJson>[0] | undefined, view: ResultView) {
  return {
    id: spec.id,
    name: spec.name,
    type: spec.probe.type,
    target: view.redactor.url(targetOf(spec)),
    component: spec.component,
    tags: spec.tags,
    intervalSeconds: spec.intervalMs / 1000,
    state: state?.status ?? 'pending',
    since: state ? iso(state.since) : null,
    scope: state?.scope && (state.status === 'partial' || state.status === 'down') ? state.scope : null,
    openIncidentId: state?.openIncidentId ?? null,
    lastResult: latest ? resultJson(latest, view) : null,
    source: deps.sourceOf?.(spec.id) ?? 'config',
    paused: spec.paused,
  };
}

export function targetOf(spec: MonitorSpec): string {
  const probe = spec.probe;
  switch (probe.type) {
    case 'http':
      return probe.url;
    case 'tcp':
    case 'tls':
      return `${probe.host}:${probe.port}`;
    case 'dns':
      return `${probe.name} ${probe.recordType}`;
  }
}
