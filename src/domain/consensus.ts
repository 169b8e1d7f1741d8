// Consensus across vantages: from the states of one monitor's vantages, and what the hub knows of each
// vantage (ok, impaired, offline; its region), is the monitor up, down for everyone, or down for some
// places only (partial), and where does it fail from? Pure: judge.ts turns it into events.
//
// - Only healthy vantages count: an impaired vantage (its own network is down, vantage.ts) and an
//   offline agent (missed heartbeats) count neither for nor against a target.
// - Paused vantages and vantages in maintenance do not vote; pending ones have nothing to say yet.
// - `down` when at least `quorum` counted vantages fail (default: a majority of those counted);
//   `partial` when some fail but fewer than that; otherwise up, or degraded when most are slow.
import type { Evidence, MonitorStatus, Scope, VantageState } from './state.js';

/** What the hub knows of a vantage itself, apart from any target. */
export type VantageCondition = 'ok' | 'impaired' | 'offline';

export interface VantageFacts {
  condition(vantage: string): VantageCondition;
  region(vantage: string): string | undefined;
}

/** Every vantage healthy, none with a region: what a hub with no agents knows. */
export const EVERY_VANTAGE_OK: VantageFacts = { condition: () => 'ok', region: () => undefined };

export interface Consensus {
  readonly status: MonitorStatus;
  /** The vantages whose state was counted: healthy, not paused, not pending, not in maintenance. */
  readonly counted: readonly VantageState[];
  /** Counted vantages that fail. */
  readonly failing: readonly VantageState[];
  /** The quorum applied. */
  readonly quorum: number;
  /** Every vantage was set aside (impaired or offline): nothing is known, the status stays. */
  readonly setAside: boolean;
}

const CONFIRMED: ReadonlySet<MonitorStatus> = new Set<MonitorStatus>(['up', 'degraded', 'down']);

/**
 * No vantage sees the targets: the hub's own is impaired and no other is ok. Only then is nothing on
 * the pages current (with a healthy agent, the monitors are still judged from its checks).
 */
export function noVantageSees(hubImpaired: boolean, others: Iterable<VantageCondition>): boolean {
  if (!hubImpaired) return false;
  for (const condition of others) if (condition === 'ok') return false;
  return true;
}

/** A majority of the vantages counted: 1 of 1, 2 of 2, 2 of 3, 3 of 4. */
export function defaultQuorum(counted: number): number {
  return Math.floor(counted / 2) + 1;
}

export function consensus(vantages: readonly VantageState[], previous: MonitorStatus, facts: VantageFacts, quorum?: number): Consensus {
  const none = (status: MonitorStatus, setAside = false): Consensus => ({ status, counted: [], failing: [], quorum: quorum ?? 1, setAside });
  const active = vantages.filter((v) => v.status !== 'paused');
  if (active.length === 0) return none(vantages.length === 0 ? previous : 'paused');
  const healthy = active.filter((v) => facts.condition(v.vantage) === 'ok');
  if (healthy.length === 0) return none(previous === 'paused' ? 'pending' : previous, true);
  if (healthy.every((v) => v.status === 'maintenance')) return none('maintenance');
  const counted = healthy.filter((v) => CONFIRMED.has(v.status));
  const applied = quorum ?? defaultQuorum(counted.length);
  const failing = counted.filter((v) => v.status === 'down');
  const result = (status: MonitorStatus): Consensus => ({ status, counted, failing, quorum: applied, setAside: false });
  if (counted.length === 0) return result('pending');
  if (failing.length >= applied) return result('down');
  if (failing.length > 0) return result('partial');
  const degraded = counted.filter((v) => v.status === 'degraded').length;
  return result(degraded * 2 > counted.length ? 'degraded' : 'up');
}

/** The failing vantages and their regions, each sorted and without repeats. */
export function scopeOf(failing: readonly VantageState[], facts: VantageFacts): Scope {
  const vantages = [...new Set(failing.map((v) => v.vantage))].sort();
  const regions = [...new Set(vantages.map((v) => facts.region(v)).filter((r): r is string => r !== undefined))].sort();
  return { vantages, regions };
}

export function sameScope(a: Scope | undefined, b: Scope | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.vantages.join('\u0000') === b.vantages.join('\u0000') && a.regions.join('\u0000') === b.regions.join('\u0000');
}

/** Each counted vantage's latest result, as timeline evidence: what each place saw when the scope was decided. */
export function latestEvidence(vantages: readonly VantageState[]): Evidence[] {
  return [...vantages]
    .sort((a, b) => (a.vantage < b.vantage ? -1 : a.vantage > b.vantage ? 1 : 0))
    .map((v) => ({
      resultId: v.lastResultId ?? '',
      vantage: v.vantage,
      at: v.updatedAt,
      ...(v.consecutiveFailures > 0 && v.lastErrorKind !== undefined ? { errorKind: v.lastErrorKind } : {}),
    }));
}
