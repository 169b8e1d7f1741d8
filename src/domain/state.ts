import type { ErrorKind, Phases } from './observation.js';

/** `partial`: failing from some vantages while others succeed, or from fewer than the monitor's quorum (consensus.ts). */
export type MonitorStatus = 'pending' | 'up' | 'degraded' | 'down' | 'partial' | 'paused' | 'maintenance';

/** Where a monitor fails from: the failing vantages and their regions, sorted. */
export interface Scope {
  readonly vantages: readonly string[];
  readonly regions: readonly string[];
}

/** An incident's scope: global (down by consensus) or partial, with the failing vantages and regions. */
export interface IncidentScope extends Scope {
  readonly kind: 'global' | 'partial';
}

/** Evidence kept with a timeline entry: enough to see what was observed, from where. */
export interface Evidence {
  readonly resultId: string;
  readonly vantage: string;
  readonly at: number;
  readonly errorKind?: ErrorKind;
  readonly errorMessage?: string;
  readonly phases?: Phases;
  readonly peerAddress?: string;
}

/**
 * The outage state machine's state for one monitor as seen from one vantage, persisted after every
 * batch so a restart resumes exactly here.
 */
export interface VantageState {
  readonly monitorId: string;
  readonly vantage: string;
  readonly status: MonitorStatus;
  /** When `status` began. */
  readonly since: number;
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
  /** Consecutive passing checks slower than degradedAfter. */
  readonly consecutiveSlow: number;
  /** First failing check of the current failure streak (kept for the incident timeline). */
  readonly firstFailure?: Evidence;
  /** Error kind of the latest failing check while down. */
  readonly lastErrorKind?: ErrorKind;
  /** Entered maintenance while down: stays down after the window until it really recovers. */
  readonly downBeforeMaintenance?: true;
  readonly lastResultId?: string;
  readonly updatedAt: number;
}

/** A monitor's state judged across its vantages (judge.ts), with the incident it has open. */
export interface MonitorState {
  readonly monitorId: string;
  readonly status: MonitorStatus;
  /** When `status` began: for `down`, the first failing check of the streak that confirmed it. */
  readonly since: number;
  /** Error kind of the latest failing check while down. */
  readonly lastErrorKind?: ErrorKind;
  readonly openIncidentId?: string;
  /** The newest result judged, from whichever vantage. */
  readonly lastResultId?: string;
  /** While partial or down across several vantages: where it fails from. */
  readonly scope?: Scope;
  readonly updatedAt: number;
}

export type TimelineKind =
  | 'first_failure'
  | 'confirmed_down'
  | 'error_changed'
  | 'recovered'
  | 'degraded'
  | 'degraded_recovered'
  | 'maintenance_started'
  | 'maintenance_ended'
  | 'partial'
  | 'scope_changed'
  | 'note';

export interface TimelineEntry {
  readonly id: string;
  readonly incidentId: string;
  readonly at: number;
  readonly kind: TimelineKind;
  readonly message: string;
  readonly monitorId?: string;
  readonly evidence?: Evidence;
  /** Entries `partial` and `scope_changed`: the scope from then on, with each vantage's latest result. */
  readonly scope?: IncidentScope & { readonly evidence: readonly Evidence[] };
}

export type IncidentState = 'open' | 'resolved';

export interface Incident {
  readonly id: string;
  readonly title: string;
  readonly state: IncidentState;
  readonly monitorIds: readonly string[];
  readonly startedAt: number;
  readonly resolvedAt?: number;
  /** Absent on incidents stored before consensus (read as global). */
  readonly scope?: IncidentScope;
  readonly timeline: readonly TimelineEntry[];
}
