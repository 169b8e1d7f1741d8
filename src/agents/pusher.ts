// Sends the buffer to the hub, oldest first, one signed batch at a time (observations by default; the
// agent's provenance snapshots go through a second Pusher over their own buffer and endpoint). A batch leaves the buffer
// only once the hub has answered for every observation in it after its commit (stored, stored before,
// or refused for good); while the hub is away the batch stays and is tried again with a growing pause.
import type { Logger } from 'pino';
import type { Clock, TimerHandle, Timers } from '../runtime/clock.js';
import type { DiskBuffer } from './disk-buffer.js';
import { HubFailure, type HubClient } from './hub-client.js';
import type { OutageLog } from './outage-log.js';
import { canonicalBatchText, signText, type AgentKeyPair } from './signatures.js';

export interface PusherDeps {
  readonly agent: string;
  readonly keys: AgentKeyPair;
  readonly buffer: DiskBuffer<unknown>;
  readonly client: HubClient;
  /** Signs and sends one batch of entries; default the observations' (POST /api/v1/agent/results). */
  readonly send?: (entries: readonly unknown[], sentAt: number) => Promise<{ readonly results: readonly PushedOutcome[] }>;
  /** What is sent, for the logs; default "observations". */
  readonly label?: string;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly log: Logger;
  readonly outage: OutageLog;
  /** Observations per batch (the hub's maxBatch may lower it). */
  readonly maxBatch: number;
  /** Pause between sends when there is nothing to send, and the first pause after a failure. */
  readonly intervalMs: number;
  /** Longest pause between attempts while the hub is away. */
  readonly maxBackoffMs: number;
  /** False until the hub has our public key: nothing is sent before (it would be refused as unsigned). */
  ready(): boolean;
}

/** The hub's answer for one entry: stored, duplicate, recorded, or refused with a reason. */
export interface PushedOutcome {
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

export interface PushCounts {
  readonly sent: number;
  /** Refused for good by the hub (not assigned, too old, malformed): never sent again. */
  readonly refused: number;
}

export class Pusher {
  private timer: TimerHandle | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private backoffMs: number;
  private batchLimit: number;
  private counts = { sent: 0, refused: 0 };
  private lastRefusalLog = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: PusherDeps) {
    this.backoffMs = deps.intervalMs;
    this.batchLimit = deps.maxBatch;
  }

  get totals(): PushCounts {
    return { ...this.counts };
  }

  /** The hub's limit, from its assignment. */
  limitBatch(max: number): void {
    this.batchLimit = Math.max(1, Math.min(this.deps.maxBatch, max));
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops after the send in progress (if any) is answered. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.deps.timers.clearTimeout(this.timer);
    await this.running;
  }

  /** Sends until the buffer is empty or the hub fails; resolves with the pause before the next try. */
  async drain(): Promise<number> {
    while (!this.stopped && this.deps.ready() && this.deps.buffer.size > 0) {
      const observations = this.deps.buffer.peek(this.batchLimit);
      const sentAt = this.deps.clock.now();
      let answer: { readonly results: readonly PushedOutcome[] };
      try {
        answer = await (this.deps.send ?? this.sendObservations)(observations, sentAt);
      } catch (error) {
        if (error instanceof HubFailure && error.kind === 'too_large' && this.batchLimit > 1) {
          this.batchLimit = Math.max(1, Math.floor(this.batchLimit / 2));
          continue;
        }
        if (!(error instanceof HubFailure)) throw error;
        this.deps.outage.failed(error.message, error.kind === 'unauthorized' || error.kind === 'refused');
        const pause = this.backoffMs;
        this.backoffMs = Math.min(this.deps.maxBackoffMs, this.backoffMs * 2);
        return pause;
      }
      this.deps.outage.succeeded();
      this.backoffMs = this.deps.intervalMs;
      // The hub shut down before storing some: keep the whole batch and send it again (the rest are duplicates then).
      if (answer.results.some((r) => r.status === 'refused' && r.reason === 'dropped')) return this.deps.intervalMs;
      const refused = answer.results.filter((r) => r.status === 'refused');
      this.counts.sent += answer.results.length - refused.length;
      this.counts.refused += refused.length;
      if (refused.length > 0) this.logRefusals(refused);
      this.deps.buffer.ack(observations.length);
    }
    return this.deps.intervalMs;
  }

  private readonly sendObservations = (observations: readonly unknown[], sentAt: number) => {
    const signature = signText(canonicalBatchText({ agent: this.deps.agent, sentAt, observations }), this.deps.keys.privateKey);
    return this.deps.client.push({ agent: this.deps.agent, sentAt, observations, signature });
  };

  private logRefusals(refused: readonly { readonly reason?: string; readonly message?: string }[]): void {
    const now = this.deps.clock.now();
    if (now - this.lastRefusalLog < 60_000) return;
    this.lastRefusalLog = now;
    const byReason: Record<string, number> = {};
    for (const r of refused) byReason[r.reason ?? '?'] = (byReason[r.reason ?? '?'] ?? 0) + 1;
    this.deps.log.warn({ byReason, example: refused[0]?.message, refusedInAll: this.counts.refused }, `the hub refused ${this.deps.label ?? 'observations'} (not sent again)`);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = this.deps.timers.setTimeout(() => {
      this.running = this.drain()
        .catch((error: unknown) => {
          this.deps.log.error({ err: error }, `sending ${this.deps.label ?? 'observations'} failed unexpectedly`);
          return this.deps.maxBackoffMs;
        })
        .then((pause) => this.schedule(pause));
    }, delayMs);
  }
}
