// Messages between the hub's main thread and the thread that runs its checks (checks-thread.ts).
import type { MonitorSpec } from '../domain/monitor.js';
import type { Observation } from '../domain/observation.js';

/**
 * What running a monitor's checks takes, and nothing else (names, thresholds, maintenance stay on the
 * main thread): at 10,000 monitors the thread's copy of whole specs was a tenth of the process' memory.
 */
export type CheckSpec = Pick<MonitorSpec, 'id' | 'probe' | 'intervalMs' | 'timeoutMs' | 'paused' | 'secrets' | 'publicTargetsOnly'>;

export function checkSpecOf(monitor: MonitorSpec): CheckSpec {
  const { id, probe, intervalMs, timeoutMs, paused, secrets, publicTargetsOnly } = monitor;
  return { id, probe, intervalMs, timeoutMs, paused, ...(secrets ? { secrets } : {}), ...(publicTargetsOnly ? { publicTargetsOnly } : {}) };
}

/** What the checks thread is started with (structured-cloned: plain data only). */
export interface ChecksThreadInput {
  readonly monitors: readonly CheckSpec[];
  readonly vantage: string;
  readonly concurrency: number;
}

/** Main → checks thread: stop, or take monitors added, changed (upsert) or removed at run time. */
export type ToChecksThread =
  | { readonly type: 'stop'; readonly graceMs: number }
  | { readonly type: 'monitors'; readonly upsert: readonly CheckSpec[]; readonly remove: readonly string[] };

/** Checks thread → main: what happened since the last report (reports are at least a second apart). */
export interface ChecksReport {
  readonly type: 'report';
  readonly observations: readonly Observation[];
  readonly latenessMs: readonly number[];
  readonly skipped: readonly string[];
  readonly errors: readonly { readonly monitorId: string; readonly message: string }[];
}

export type FromChecksThread = ChecksReport | { readonly type: 'stopped'; readonly stillRunning: number };
