// Where a monitor is checked from, for the status page: how many places, their regions, where it fails
// from when it is partly down, and each place's latest check side by side ("is it just me?").
import type { MonitorState, Scope, VantageState } from '../domain/state.js';
import type { VantageCondition } from '../domain/consensus.js';
import type { CheckResult } from '../domain/verdict.js';
import type { VantageReads } from './vantages.js';

export interface Places {
  /** Vantages checking it now: not paused, not offline. */
  readonly count: number;
  /** Their regions, sorted, each once. */
  readonly regions: readonly string[];
  /** While partial or down across several places: where it fails from. */
  readonly failing?: Scope;
}

export interface PlaceRow {
  readonly name: string;
  readonly region?: string;
  /** This place's own verdict on the monitor. */
  readonly status: VantageState['status'];
  readonly condition: VantageCondition;
  readonly result?: CheckResult;
}

export function placesOf(reads: VantageReads, monitorId: string, state: MonitorState | undefined): Places {
  const checking = reads.statesOf(monitorId).filter((v) => v.status !== 'paused' && reads.condition(v.vantage) !== 'offline');
  const regions = [...new Set(checking.map((v) => reads.regionOf(v.vantage)).filter((r): r is string => r !== undefined))].sort();
  const failing = state?.scope && (state.status === 'partial' || state.status === 'down') ? state.scope : undefined;
  return { count: checking.length, regions, ...(failing ? { failing } : {}) };
}

/** Each place's latest check of a monitor, by name: one read per place. */
export async function placeRows(reads: VantageReads, monitorId: string, getResult: (id: string) => Promise<CheckResult | undefined>): Promise<PlaceRow[]> {
  const states = [...reads.statesOf(monitorId)].sort((a, b) => (a.vantage < b.vantage ? -1 : a.vantage > b.vantage ? 1 : 0));
  return Promise.all(
    states.map(async (state) => {
      const region = reads.regionOf(state.vantage);
      const result = state.lastResultId !== undefined ? await getResult(state.lastResultId) : undefined;
      return { name: state.vantage, status: state.status, condition: reads.condition(state.vantage), ...(region !== undefined ? { region } : {}), ...(result ? { result } : {}) };
    }),
  );
}
