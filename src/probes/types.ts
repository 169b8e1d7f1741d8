import type { ProbeSpec } from '../domain/monitor.js';
import type { Details, Phases, ProbeError } from '../domain/observation.js';
import type { RunCancellation } from './errors.js';

/**
 * What one probe run observed. `ok` is false exactly when `error` is present. `details` is the probe's
 * typed evidence (status, kept headers, body size, DNS answers, certificate facts...), plain JSON only.
 */
export interface ProbeOutcome {
  readonly ok: boolean;
  readonly phases: Phases;
  /** The IP address actually connected to (or the resolver asked, for DNS). */
  readonly peerAddress?: string;
  readonly error?: ProbeError;
  readonly details: Details;
}

export interface ProbeRunOptions {
  readonly timeoutMs: number;
  /** Aborts the run early; the outcome is then a `timeout`. */
  readonly signal?: AbortSignal;
  /** The same for many runs at once (a shutdown), cheaper per run than a signal. */
  readonly cancel?: RunCancellation;
  /** Refuse (as `target_forbidden`) addresses that are not public: monitors made through the API (probes/target-guard.ts). */
  readonly publicTargetsOnly?: boolean;
}

/** One probe type. run() never throws for a failing target: failures are data. */
export interface Probe<S extends ProbeSpec = ProbeSpec> {
  readonly type: S['type'];
  run(spec: S, options: ProbeRunOptions): Promise<ProbeOutcome>;
}
