// What the public outputs (feeds, badges, the Statuspage-compatible API) read: a status page's
// components with their verdicts, and the incidents that touch the monitors it shows.
import { NotFoundError } from '../domain/errors.js';
import type { CandorConfig, StatusPageSpec } from '../domain/monitor.js';
import type { Incident, IncidentState } from '../domain/state.js';
import { MAX_MONITOR_FILTER } from '../storage/store.js';
import { pageMonitorIds, pageStatus, type PageStatus } from './components.js';
import type { ReadDeps } from './monitors.js';

export interface PublicPageDeps extends ReadDeps {
  readonly config: CandorConfig;
}

/** The default page without a slug; the page with that slug otherwise. */
export function findStatusPage(config: CandorConfig, slug?: string): StatusPageSpec {
  const page = slug === undefined ? (config.statusPages.find((p) => p.isDefault) ?? config.statusPages[0]) : config.statusPages.find((p) => p.slug === slug);
  if (!page) throw new NotFoundError('status page', slug ?? '(default)');
  return page;
}

export interface PageView {
  readonly page: StatusPageSpec;
  readonly status: PageStatus;
  readonly monitorIds: ReadonlySet<string>;
}

export function pageView(deps: PublicPageDeps, page: StatusPageSpec): PageView {
  const status = pageStatus(page, deps.monitors.values(), deps.states(), deps.vantageImpaired?.() ?? false, deps.operatorImpacts?.());
  return { page, status, monitorIds: pageMonitorIds(status) };
}

/** Incidents are read in pages of this size while looking for the ones a status page shows... */
const SCAN_PAGE_SIZE = 200;
/** ...and at most this many pages, so a page showing few monitors never scans all history (2,000 incidents). */
const SCAN_MAX_PAGES = 10;

/**
 * The newest incidents (by start, newest first) touching at least one of the monitors, up to `limit`.
 * Incidents are stored across all monitors, so this filters while paging through them with the store's cursor.
 */
export async function pageIncidents(
  deps: Pick<PublicPageDeps, 'store'>,
  monitorIds: ReadonlySet<string>,
  query: { readonly state?: IncidentState; readonly limit: number },
): Promise<Incident[]> {
  const found: Incident[] = [];
  let before: string | undefined;
  // The database filters by monitor (one query, usually); only a page of more than 10,000 monitors scans.
  const filter = monitorIds.size <= MAX_MONITOR_FILTER ? { monitorIds: [...monitorIds] } : {};
  for (let scanned = 0; scanned < SCAN_MAX_PAGES && found.length < query.limit; scanned++) {
    const batch = await deps.store.listIncidents({
      limit: SCAN_PAGE_SIZE,
      ...filter,
      ...(query.state ? { state: query.state } : {}),
      ...(before ? { before } : {}),
    });
    for (const incident of batch) {
      if (incident.monitorIds.some((id) => monitorIds.has(id))) found.push(incident);
    }
    const last = batch.at(-1);
    if (batch.length < SCAN_PAGE_SIZE || !last) break;
    before = last.id;
  }
  return found.slice(0, query.limit);
}

/** Latest thing that happened to an incident: its last timeline entry, or its resolution, or its start. */
export function lastActivityAt(incident: Incident): number {
  return Math.max(incident.startedAt, incident.resolvedAt ?? 0, ...incident.timeline.map((entry) => entry.at));
}
