// Declared vs observed: how long a platform took to admit an outage Candor saw, which outages it never
// admitted, and how long it said one thing while Candor saw another. Pure; docs/transparency.md states
// the same method in words, so anyone can recompute every figure from the API.
import { isNonOperational, type DeclaredStatus, type DeclaredStatusRow, type StoredDeclaredIncident } from './declared.js';
import { intersect, normalise, subtract, type Span } from './intervals.js';

export const TRANSPARENCY_METHOD_VERSION = 'candor-transparency/1';

/** An outage Candor observed: one incident of one monitor. */
export interface ObservedOutage {
  readonly incidentId: string;
  readonly monitorId: string;
  /** The first failing check of the streak that confirmed the outage (the went_down event's firstFailure). */
  readonly startedAt: number;
  readonly firstFailureResultId?: string;
  /** Absent while it is still open. */
  readonly endedAt?: number;
  /** `partial`: down for some vantages only (consensus); compared for acknowledgement, counted apart in minutes. */
  readonly scope: 'global' | 'partial';
}

/** What one monitor's declared source said over the period: the rows of its scope, and the source's incidents. */
export interface DeclaredView {
  readonly sourceId: string;
  /** "" (overall) or the platform's component name. */
  readonly scope: string;
  /** The source's poll interval: a platform's own time is believed up to this long before Candor saw it. */
  readonly intervalMs: number;
  /** This scope's rows, oldest first. */
  readonly statuses: readonly DeclaredStatusRow[];
  readonly incidents: readonly StoredDeclaredIncident[];
}

export type Acknowledgement =
  | { readonly kind: 'status'; readonly at: number; readonly status: DeclaredStatus; readonly firstSeen: number }
  | { readonly kind: 'incident'; readonly at: number; readonly externalId: string; readonly title: string; readonly firstSeen: number };

export interface OutageComparison extends ObservedOutage {
  /** acknowledged; unacknowledged (ended with no declaration covering it); pending (still open, none yet). */
  readonly verdict: 'acknowledged' | 'unacknowledged' | 'pending';
  readonly acknowledgement?: Acknowledgement;
  /** From startedAt to the acknowledgement, never below 0 (a declaration made before Candor saw anything). */
  readonly lagMs?: number;
}

export type DisagreementKind = 'declared_operational_while_down' | 'declared_down_while_up' | 'declared_operational_while_partial';

export interface Disagreement extends Span {
  readonly kind: DisagreementKind;
  readonly monitorId: string;
  readonly sourceId: string;
  /** The declared status row (by its firstSeen) and the incident behind the span, when there is one. */
  readonly declaredFirstSeen: number;
  readonly incidentId?: string;
}

/** A time the platform stamps is believed if it is at most one poll interval before Candor first saw it. */
export function believedTime(declaredAt: number | undefined, firstSeen: number, intervalMs: number): number {
  if (declaredAt === undefined || declaredAt > firstSeen || declaredAt < firstSeen - intervalMs) return firstSeen;
  return declaredAt;
}

/** Each status row as a span: from when it was seen to the next row, or one interval past its last sighting. */
export function statusSpans(view: DeclaredView, now: number): { readonly row: DeclaredStatusRow; readonly span: Span }[] {
  return view.statuses.map((row, index) => {
    const next = view.statuses[index + 1];
    const heldUntil = Math.min(next?.firstSeen ?? Number.POSITIVE_INFINITY, row.lastSeen + view.intervalMs, now);
    return { row, span: { from: row.firstSeen, to: Math.max(row.firstSeen, heldUntil) } };
  });
}

function covers(incident: StoredDeclaredIncident, scope: string): boolean {
  if (scope === '' || incident.components.length === 0) return true;
  return incident.components.some((name) => name.trim().toLowerCase() === scope.trim().toLowerCase());
}

/** The first declaration covering the outage: a non-operational status holding during it, or an incident overlapping it. */
export function compareOutage(outage: ObservedOutage, view: DeclaredView, now: number): OutageComparison {
  const end = outage.endedAt ?? now;
  const candidates: Acknowledgement[] = [];
  for (const { row, span } of statusSpans(view, now)) {
    if (!isNonOperational(row.status)) continue;
    const at = believedTime(row.declaredAt, row.firstSeen, view.intervalMs);
    if (Math.min(at, span.from) <= end && span.to >= outage.startedAt) candidates.push({ kind: 'status', at, status: row.status, firstSeen: row.firstSeen });
  }
  for (const incident of view.incidents) {
    if (!covers(incident, view.scope)) continue;
    // Unresolved and still listed: open until now. Gone from the page unresolved: its last sighting.
    const claimedEnd = incident.resolvedAt ?? (incident.lastSeen + view.intervalMs >= now ? now : incident.lastSeen);
    if (incident.startedAt > end || claimedEnd < outage.startedAt) continue;
    const at = believedTime(incident.declaredAt, incident.firstSeen, view.intervalMs);
    candidates.push({ kind: 'incident', at, externalId: incident.externalId, title: incident.title, firstSeen: incident.firstSeen });
  }
  const first = candidates.sort((a, b) => a.at - b.at)[0];
  if (!first) return { ...outage, verdict: outage.endedAt === undefined ? 'pending' : 'unacknowledged' };
  return { ...outage, verdict: 'acknowledged', acknowledgement: first, lagMs: Math.max(0, first.at - outage.startedAt) };
}

/**
 * Minutes in disagreement for one monitor over `window`: declared operational while Candor saw it down
 * (global outages) or partly down (partial ones), and declared non-operational (maintenance aside)
 * while Candor saw it up. Only time both sides observed counts: `unobserved` (Candor not running, or
 * before the monitor's first check) and time the source was unavailable are left out.
 */
export function disagreements(outages: readonly ObservedOutage[], view: DeclaredView, window: Span, unobserved: readonly Span[], now: number, monitorId: string): Disagreement[] {
  const end = Math.min(window.to, now);
  const seen = subtract([{ from: window.from, to: end }], unobserved);
  const down = normalise(outages.filter((o) => o.scope === 'global').map((o) => ({ from: o.startedAt, to: o.endedAt ?? now })));
  const partial = subtract(outages.filter((o) => o.scope === 'partial').map((o) => ({ from: o.startedAt, to: o.endedAt ?? now })), down);
  const up = subtract(seen, [...down, ...partial]);
  const incidentAt = (span: Span) =>
    outages.find((o) => o.startedAt <= span.from && (o.endedAt ?? now) >= span.to)?.incidentId;
  const out: Disagreement[] = [];
  for (const { row, span } of statusSpans(view, now)) {
    const base = { monitorId, sourceId: view.sourceId, declaredFirstSeen: row.firstSeen };
    if (row.status === 'operational') {
      for (const s of intersect(intersect([span], seen), down)) out.push({ ...s, ...base, kind: 'declared_operational_while_down', ...optional(incidentAt(s)) });
      for (const s of intersect(intersect([span], seen), partial)) out.push({ ...s, ...base, kind: 'declared_operational_while_partial', ...optional(incidentAt(s)) });
    } else if (isNonOperational(row.status) && row.status !== 'under_maintenance') {
      for (const s of intersect([span], up)) out.push({ ...s, ...base, kind: 'declared_down_while_up' });
    }
  }
  return out.sort((a, b) => a.from - b.from);
}

function optional(incidentId: string | undefined): { incidentId?: string } {
  return incidentId ? { incidentId } : {};
}

/** Nearest-rank percentile (p in (0, 1]) of values; undefined when there are none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

export interface MonitorInput {
  readonly monitorId: string;
  readonly outages: readonly ObservedOutage[];
  readonly view: DeclaredView;
  /** Spans in the window Candor did not observe this monitor. */
  readonly unobserved: readonly Span[];
}

export interface PlatformFigures {
  readonly windowDays: number;
  readonly from: number;
  readonly to: number;
  readonly outages: number;
  readonly acknowledged: number;
  readonly unacknowledged: number;
  readonly pending: number;
  readonly medianLagMs?: number;
  readonly p90LagMs?: number;
  /** unacknowledged / (acknowledged + unacknowledged); absent with no ended outage. */
  readonly shareUnacknowledged?: number;
  readonly declaredOperationalWhileDownMs: number;
  readonly declaredOperationalWhilePartialMs: number;
  readonly declaredDownWhileUpMs: number;
  readonly comparisons: readonly OutageComparison[];
  readonly disagreements: readonly Disagreement[];
}

/** One platform (a declared source) over the `windowDays` ending at `now`: outages that started in the window. */
export function platformFigures(monitors: readonly MonitorInput[], windowDays: number, now: number): PlatformFigures {
  const window = { from: now - windowDays * 86_400_000, to: now };
  const comparisons = monitors.flatMap((m) =>
    m.outages.filter((o) => o.startedAt >= window.from && o.startedAt < window.to).map((o) => compareOutage(o, m.view, now)),
  );
  const spans = monitors.flatMap((m) => disagreements(m.outages, m.view, window, m.unobserved, now, m.monitorId));
  const lags = comparisons.flatMap((c) => (c.lagMs === undefined ? [] : [c.lagMs]));
  const acknowledged = comparisons.filter((c) => c.verdict === 'acknowledged').length;
  const unacknowledged = comparisons.filter((c) => c.verdict === 'unacknowledged').length;
  const median = percentile(lags, 0.5);
  const p90 = percentile(lags, 0.9);
  const sum = (kind: DisagreementKind) => spans.filter((s) => s.kind === kind).reduce((total, s) => total + (s.to - s.from), 0);
  return {
    windowDays,
    ...window,
    outages: comparisons.length,
    acknowledged,
    unacknowledged,
    pending: comparisons.length - acknowledged - unacknowledged,
    ...(median !== undefined ? { medianLagMs: median } : {}),
    ...(p90 !== undefined ? { p90LagMs: p90 } : {}),
    ...(acknowledged + unacknowledged > 0 ? { shareUnacknowledged: unacknowledged / (acknowledged + unacknowledged) } : {}),
    declaredOperationalWhileDownMs: sum('declared_operational_while_down'),
    declaredOperationalWhilePartialMs: sum('declared_operational_while_partial'),
    declaredDownWhileUpMs: sum('declared_down_while_up'),
    comparisons: comparisons.sort((a, b) => a.startedAt - b.startedAt),
    disagreements: spans,
  };
}

