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
  | 'note'
  | 'partial'
  | 'scope_changed'
  | 'policy_violated'
  | 'policy_complied'
  /** An operator's update (Markdown), with the incident's status as of it. */
  | 'update'
  /** An operator's postmortem (Markdown), written once the incident is resolved. */
  | 'postmortem';

/** The status-page vocabulary of an incident, as operators give it. */
export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const INCIDENT_IMPACTS = ['none', 'minor', 'major', 'critical'] as const;
export type IncidentImpact = (typeof INCIDENT_IMPACTS)[number];

export interface TimelineEntry {
  readonly id: string;
  readonly incidentId: string;
  readonly at: number;
  readonly kind: TimelineKind;
  readonly message: string;
  readonly monitorId?: string;
  readonly evidence?: Evidence;
  /** On `update` entries: the incident's status as of this update. */
  readonly status?: IncidentStatus;
  /** Entries `partial` and `scope_changed`: the scope from then on, with each vantage's latest result. */
  readonly scope?: IncidentScope & { readonly evidence: readonly Evidence[] };
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
  /** Absent on incidents stored before consensus (read as global). */
  readonly scope?: IncidentScope;
  readonly timeline: readonly TimelineEntry[];
  /** 'manual': opened by an operator through the API; absent: opened by Candor from its checks. */
  readonly source?: 'manual';
  /** The status an operator last gave; absent until one did (then derived, see read/statuspage-v2.ts). */
  readonly status?: IncidentStatus;
  /** As an operator set it; absent: derived from what is down. */
  readonly impact?: IncidentImpact;
  /** Component names an operator named (their monitors are the incident's monitorIds). */
  readonly components?: readonly string[];
}
