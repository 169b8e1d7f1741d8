// Records when the hub itself was not running, in the same transaction as the batch that shows it is
// back: from the last write of the previous run to the first check of this run. Results buffered
// through a database outage were observed while the hub ran, and make no gap. Stateless apart from
// when this run started, so a batch that fails and is retried records the gap exactly once.
import type { BatchWriter } from './ingest.js';

/** Shorter stretches are a restart's ordinary pause, not worth telling. */
export const MIN_HUB_GAP_MS = 5_000;

export function hubGapWriter(now: () => number, vantage = 'local'): BatchWriter {
  const runStartedAt = now();
  return async (tx, committed) => {
    let firstCheck: number | undefined;
    for (const result of committed.results) {
      if (result.vantage === vantage && (firstCheck === undefined || result.startedAt < firstCheck)) firstCheck = result.startedAt;
    }
    if (firstCheck === undefined) return;
    const last = await tx.hub.lastBeat();
    if (last !== undefined && last < runStartedAt && firstCheck - last >= MIN_HUB_GAP_MS) await tx.hub.recordGap({ from: last, to: firstCheck });
    await tx.hub.beat(now());
  };
}
