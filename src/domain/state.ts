import type { ErrorKind, Phases } from './observation.js';

export type MonitorStatus = 'pending' | 'up' | 'degraded' | 'down' | 'paused' | 'maintenance';

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
  | 'policy_violated'
  | 'policy_complied'
  | 'note';

export interface TimelineEntry {
  readonly id: string;
  readonly incidentId: string;
  readonly at: number;
  readonly kind: TimelineKind;
  readonly message: string;
  readonly monitorId?: string;
  readonly evidence?: Evidence;
}

export type IncidentState = 'open' | 'resolved';

/** What an incident is about: an outage (the default), or a sovereignty policy broken (domain/policy-incidents.ts). */
export type IncidentKind = 'outage' | 'policy_violation';

export interface Incident {
  readonly id: string;
  /** Absent: an outage. */
  readonly kind?: IncidentKind;
  readonly title: string;
  readonly state: IncidentState;
  readonly monitorIds: readonly string[];
  readonly startedAt: number;
  readonly resolvedAt?: number;
  readonly timeline: readonly TimelineEntry[];
}
