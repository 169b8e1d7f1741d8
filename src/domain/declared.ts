// What a platform says about itself: its status page (Statuspage v2 JSON) or its incident feed (Atom,
// RSS), read by src/declared/ and kept as a ledger of changes. The vocabulary is Statuspage's, plus
// `unavailable` for a poll that failed: a source that cannot be read never counts as operational.
import { createHash } from 'node:crypto';
import type { ComponentStatus } from './status.js';

export type DeclaredSourceType = 'statuspage' | 'feed';

export const DECLARED_SOURCE_TYPES: readonly DeclaredSourceType[] = ['statuspage', 'feed'];

/** A declared source as written on a monitor: `declared: { type, url, component?, interval? }`. */
export interface DeclaredSpec {
  readonly type: DeclaredSourceType;
  /** http(s) URL: a Statuspage v2 `summary.json`, or an Atom/RSS feed. */
  readonly url: string;
  /** The platform's own component name (Statuspage only); absent: the page's overall status. */
  readonly component?: string;
  readonly intervalMs: number;
}

export type DeclaredStatus = ComponentStatus | 'unavailable';

/** Why a poll failed (stable codes, shown with a message). */
export type PollFailureKind =
  | 'timeout'
  | 'connect_failed'
  | 'http_status'
  | 'redirect_refused'
  | 'too_many_redirects'
  | 'body_too_large'
  | 'wrong_content_type'
  | 'malformed'
  | 'time_in_future'
  | 'unknown_component';

export interface PollFailure {
  readonly kind: PollFailureKind;
  readonly message: string;
}

export interface DeclaredUpdate {
  readonly at: number;
  /** Statuspage's incident status at that update (investigating, identified, monitoring, resolved, ...), or "update". */
  readonly status: string;
  readonly body: string;
}

/** An incident as the platform declares it. */
export interface DeclaredIncident {
  /** The platform's id (Statuspage id, feed entry id or link). */
  readonly externalId: string;
  readonly title: string;
  /** none | minor | major | critical | maintenance, or "unknown" for feeds. */
  readonly impact: string;
  /** When the platform says it was published (created_at, or the feed entry's published time). */
  readonly declaredAt: number;
  /** When the platform says it started (may be backdated). */
  readonly startedAt: number;
  readonly resolvedAt?: number;
  /** Names of the affected components, when the platform says. */
  readonly components: readonly string[];
  readonly updates: readonly DeclaredUpdate[];
  readonly url?: string;
}

export interface DeclaredComponent {
  readonly name: string;
  readonly status: ComponentStatus;
  /** When the platform last changed it, if it says. */
  readonly updatedAt?: number;
}

/** What one successful poll read. */
export interface DeclaredSnapshot {
  readonly overall: ComponentStatus;
  readonly overallUpdatedAt?: number;
  readonly components: readonly DeclaredComponent[];
  readonly incidents: readonly DeclaredIncident[];
}

export type PollOutcome = { readonly ok: true; readonly snapshot: DeclaredSnapshot } | { readonly ok: false; readonly failure: PollFailure };

/** One row of the status ledger: a status held from firstSeen to lastSeen (changes only). */
export interface DeclaredStatusRow {
  readonly sourceId: string;
  /** "" for the page's overall status, else the platform's component name. */
  readonly scope: string;
  readonly status: DeclaredStatus;
  /** For `unavailable`: why the poll failed. */
  readonly reason?: string;
  /** When the platform says the status began (component updated_at), if it says. */
  readonly declaredAt?: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
}

/** A declared incident as kept: what the platform said, and when Candor first and last saw it. */
export interface StoredDeclaredIncident extends DeclaredIncident {
  readonly sourceId: string;
  readonly firstSeen: number;
  readonly lastSeen: number;
}

/** What one poll of a source writes to the ledger. */
export interface DeclaredPoll {
  readonly sourceId: string;
  readonly at: number;
  /** The statuses read (or `unavailable` for every scope when the poll failed). */
  readonly statuses: readonly { readonly scope: string; readonly status: DeclaredStatus; readonly reason?: string; readonly declaredAt?: number }[];
  readonly incidents: readonly DeclaredIncident[];
  readonly failure?: PollFailure;
}

/** The last poll of a source, kept for /api/v1/declared. */
export interface DeclaredSourceState {
  readonly sourceId: string;
  readonly lastPollAt: number;
  readonly lastSuccessAt?: number;
  readonly failure?: PollFailure;
}

/**
 * A source's id is a readable slug of its host with a short hash of what it is (type and URL), so two
 * monitors naming the same page share one source, and an id stays the same across restarts and hubs.
 */
export function declaredSourceId(type: DeclaredSourceType, url: string): string {
  const host = new URL(url).hostname.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'source';
  const hash = createHash('sha256').update(`${type} ${url}`).digest('hex').slice(0, 6);
  return `${host}-${hash}`;
}

/** Statuspage's overall indicator as a component status. */
export function indicatorStatus(indicator: string): ComponentStatus | undefined {
  switch (indicator) {
    case 'none':
      return 'operational';
    case 'minor':
      return 'degraded_performance';
    case 'major':
      return 'partial_outage';
    case 'critical':
      return 'major_outage';
    case 'maintenance':
      return 'under_maintenance';
    default:
      return undefined;
  }
}

/** Says something is wrong (not operational, not unavailable). Maintenance counts: it tells users. */
export function isNonOperational(status: DeclaredStatus): boolean {
  return status !== 'operational' && status !== 'unavailable';
}
