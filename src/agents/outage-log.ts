// Says once that the hub cannot be reached, then at most once a minute while it lasts, and once when
// it is back: an agent cut off for an hour writes about sixty lines, not one per check.
import type { Logger } from 'pino';
import type { Clock } from '../runtime/clock.js';

export const OUTAGE_LOG_EVERY_MS = 60_000;

export class OutageLog {
  private since: number | undefined;
  private lastLogged = 0;
  private failures = 0;

  constructor(private readonly deps: { readonly clock: Clock; readonly log: Logger; buffered(): number }) {}

  get ongoing(): boolean {
    return this.since !== undefined;
  }

  /** `refused`: the hub answers but will not take us (a revoked token); else it cannot be reached. */
  failed(reason: string, refused = false): void {
    const now = this.deps.clock.now();
    this.failures++;
    if (this.since === undefined) {
      this.since = now;
      this.lastLogged = now;
      const what = refused ? 'the hub refuses this agent' : 'the hub cannot be reached';
      this.deps.log.warn({ reason, buffered: this.deps.buffered() }, `${what}: checks go on, observations are buffered on disk`);
      return;
    }
    if (now - this.lastLogged < OUTAGE_LOG_EVERY_MS) return;
    this.lastLogged = now;
    this.deps.log.warn({ reason, forMs: now - this.since, failedAttempts: this.failures, buffered: this.deps.buffered() }, refused ? 'the hub still refuses this agent' : 'the hub still cannot be reached');
  }

  succeeded(): void {
    if (this.since === undefined) return;
    this.deps.log.info({ afterMs: this.deps.clock.now() - this.since, buffered: this.deps.buffered() }, 'the hub is reachable again: sending what was buffered, oldest first');
    this.since = undefined;
    this.failures = 0;
  }
}
