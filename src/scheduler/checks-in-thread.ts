// The hub's side of the checks thread (checks-thread.ts): starts it, hands what it reports to ingest and
// metrics, restarts it if it dies (a bug), and stops it cleanly on shutdown.
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { MonitorSpec } from '../domain/monitor.js';
import type { Observation } from '../domain/observation.js';
import { checkSpecOf, type ChecksReport, type ChecksThreadInput, type FromChecksThread, type ToChecksThread } from './worker-protocol.js';

export interface ChecksThreadDeps {
  /** Read at every (re)start: the monitors as they are then. */
  input(): Omit<ChecksThreadInput, 'monitors'> & { readonly monitors: readonly MonitorSpec[] };
  readonly log: Logger;
  onObservation(observation: Observation): void;
  onLateness(ms: number): void;
  onSkipped(monitorId: string): void;
  onError(monitorId: string, message: string): void;
}

const RESTART_DELAY_MS = 1_000;
/**
 * The thread's heap holds the schedule and the checks in flight (about 20 MB at 10,000 monitors). Its
 * young generation is bounded so that per-check garbage is collected early instead of growing the
 * process, but not below 16 MB: at 8 MB, at 166 checks a second, each collection found a check's
 * objects still alive and moved them to the old generation, which then needed a full collection every
 * five seconds (four in two minutes at 16 MB, for about the same peak memory).
 */
const CHECKS_THREAD_LIMITS = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 256 };
/** After the grace period, how long the thread may take to say it stopped before it is ended. */
const STOP_SLACK_MS = 5_000;

export class ChecksThread {
  private worker: Worker | undefined;
  private closing = false;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: ChecksThreadDeps) {}

  start(): void {
    const input = this.deps.input();
    const workerData: ChecksThreadInput = { ...input, monitors: input.monitors.map(checkSpecOf) };
    const worker = new Worker(new URL('./checks-thread.js', import.meta.url), { workerData, resourceLimits: CHECKS_THREAD_LIMITS });
    this.worker = worker;
    worker.on('message', (message: FromChecksThread) => {
      if (message.type === 'report') this.take(message);
    });
    worker.on('error', (error) => this.deps.log.error({ err: error }, 'the checks thread failed (a bug)'));
    worker.on('exit', (code) => {
      if (this.closing || this.worker !== worker) return;
      this.deps.log.error({ code }, `the checks thread ended unexpectedly; restarting it in ${RESTART_DELAY_MS} ms`);
      this.restartTimer = setTimeout(() => this.start(), RESTART_DELAY_MS);
    });
  }

  /** Monitors added, changed or removed at run time; the others keep their schedule. */
  update(upsert: readonly MonitorSpec[], remove: readonly string[]): void {
    if (this.closing || (upsert.length === 0 && remove.length === 0)) return;
    this.worker?.postMessage({ type: 'monitors', upsert: upsert.map(checkSpecOf), remove } satisfies ToChecksThread);
  }

  /** Stops planning, waits up to graceMs for running checks; returns how many were cut short. */
  async stop(graceMs: number): Promise<number> {
    this.closing = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return 0;
    const stopped = new Promise<number>((resolve) => {
      worker.on('message', (message: FromChecksThread) => {
        if (message.type === 'stopped') resolve(message.stillRunning);
      });
      worker.once('exit', () => resolve(0));
    });
    worker.postMessage({ type: 'stop', graceMs } satisfies ToChecksThread);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), graceMs + STOP_SLACK_MS);
    });
    const outcome = await Promise.race([stopped, late]);
    clearTimeout(timer);
    await worker.terminate();
    if (outcome === 'late') this.deps.log.warn('the checks thread did not stop in time; it was ended');
    return outcome === 'late' ? 0 : outcome;
  }

  private take(report: ChecksReport): void {
    for (const ms of report.latenessMs) this.deps.onLateness(ms);
    for (const monitorId of report.skipped) this.deps.onSkipped(monitorId);
    for (const error of report.errors) this.deps.onError(error.monitorId, error.message);
    for (const observation of report.observations) this.deps.onObservation(observation);
  }
}
