// The latest result of each monitor, kept between renders. Reading it for 100 monitors is the most
// expensive query of a status page (a max over each monitor's results), yet it only changes when a new
// result was written, and the state ingest keeps says exactly that: its `lastResultId` moves after the
// batch holding that result is committed. So only monitors whose state names another result than the
// one kept are read again; a monitor without a `lastResultId` is always read.
import type { MonitorState } from '../domain/state.js';
import type { CheckResult } from '../domain/verdict.js';
import type { Store } from '../storage/store.js';

interface Kept {
  readonly lastResultId: string;
  readonly result: CheckResult | undefined;
}

export class LatestResultsCache {
  private readonly kept = new Map<string, Kept>();

  constructor(private readonly store: Store) {}

  async latestResults(monitorIds: readonly string[], states: ReadonlyMap<string, MonitorState>): Promise<Map<string, CheckResult>> {
    const stale = monitorIds.filter((id) => {
      const lastResultId = states.get(id)?.lastResultId;
      return lastResultId === undefined || this.kept.get(id)?.lastResultId !== lastResultId;
    });
    const fresh = stale.length > 0 ? await this.store.latestResults(stale) : new Map<string, CheckResult>();
    for (const id of stale) {
      const lastResultId = states.get(id)?.lastResultId;
      if (lastResultId === undefined) this.kept.delete(id);
      else this.kept.set(id, { lastResultId, result: fresh.get(id) });
    }
    const latest = new Map<string, CheckResult>();
    for (const id of monitorIds) {
      const result = fresh.get(id) ?? this.kept.get(id)?.result;
      if (result) latest.set(id, result);
    }
    return latest;
  }
}
