// Each vantage's view of one monitor, side by side ("is it just me?"): its own state machine's status,
// what the hub knows of the vantage (ok, impaired, offline), its region, and its latest result.
import type { VantageCondition } from '../domain/consensus.js';
import type { VantageState } from '../domain/state.js';
import type { CheckResult } from '../domain/verdict.js';
import { iso, resultJson, type ResultView } from './serialise.js';

/** What the read side asks of the hub about vantages (ingest's states, the agents' directory). */
export interface VantageReads {
  /** Every vantage's state of a monitor, as ingest holds it now. */
  statesOf(monitorId: string): readonly VantageState[];
  condition(vantage: string): VantageCondition;
  regionOf(vantage: string): string | undefined;
}

export interface MonitorVantage {
  readonly name: string;
  readonly region: string | null;
  /** This vantage's own verdict on the monitor (its state machine): up, down, pending... */
  readonly state: VantageState['status'];
  /** The vantage itself, as consensus counts it. */
  readonly vantageState: VantageCondition;
  readonly lastResultId: string | null;
  readonly lastCheckedAt: string;
  /** Whole on GET /api/v1/monitors/:id; left out of the list (lastResultId names it). */
  readonly lastResult?: ReturnType<typeof resultJson> | null;
}

/** The vantages of a monitor by name; with `results` (by id), each with its latest result whole. */
export function monitorVantages(reads: VantageReads, monitorId: string, view: ResultView, results?: ReadonlyMap<string, CheckResult>): MonitorVantage[] {
  return [...reads.statesOf(monitorId)]
    .sort((a, b) => (a.vantage < b.vantage ? -1 : a.vantage > b.vantage ? 1 : 0))
    .map((state) => {
      const result = state.lastResultId !== undefined ? results?.get(state.lastResultId) : undefined;
      return {
        name: state.vantage,
        region: reads.regionOf(state.vantage) ?? null,
        state: state.status,
        vantageState: reads.condition(state.vantage),
        lastResultId: state.lastResultId ?? null,
        lastCheckedAt: iso(state.updatedAt),
        ...(results ? { lastResult: result ? resultJson(result, view) : null } : {}),
      };
    });
}

/** The latest result of each vantage of a monitor, by id (one read per vantage). */
export async function latestOfVantages(reads: VantageReads, monitorId: string, getResult: (id: string) => Promise<CheckResult | undefined>): Promise<Map<string, CheckResult>> {
  const ids = reads
    .statesOf(monitorId)
    .map((s) => s.lastResultId)
    .filter((id): id is string => id !== undefined);
  const found = await Promise.all(ids.map((id) => getResult(id)));
  return new Map(found.filter((r): r is CheckResult => r !== undefined).map((r) => [r.id, r]));
}
