// "Is it them or us?", kept per vantage from the observations ingest takes: a vantage whose every recent
// check failed before reaching its target is impaired, and its local failures prove nothing about the
// targets (domain/vantage.ts decides; this keeps the recent checks and says when a verdict changes).
import type { Logger } from 'pino';
import type { MonitorSpec } from '../domain/monitor.js';
import type { Observation } from '../domain/observation.js';
import { DEFAULT_VANTAGE_POLICY, targetHost, vantageImpaired, type RecentCheck } from '../domain/vantage.js';
import type { Clock } from '../runtime/clock.js';

export interface VantageHealthDeps {
  readonly monitors: ReadonlyMap<string, MonitorSpec>;
  readonly clock: Clock;
  readonly log: Logger;
  onChange?(vantage: string, impaired: boolean): void;
}

export class VantageHealth {
  /** Latest check of each monitor, per vantage. */
  private readonly recent = new Map<string, Map<string, RecentCheck>>();
  private readonly impaired = new Set<string>();

  constructor(private readonly deps: VantageHealthDeps) {}

  isImpaired(vantage: string): boolean {
    return this.impaired.has(vantage);
  }

  /** Takes these observations into account; returns the vantages impaired now. */
  observe(observations: Iterable<Observation>): ReadonlySet<string> {
    for (const observation of observations) {
      const monitor = this.deps.monitors.get(observation.monitorId);
      if (!monitor) continue;
      let recent = this.recent.get(observation.vantage);
      if (!recent) this.recent.set(observation.vantage, (recent = new Map()));
      recent.set(monitor.id, {
        target: targetHost(monitor.probe),
        ok: observation.ok,
        at: observation.startedAt,
        ...(observation.error ? { errorKind: observation.error.kind } : {}),
      });
    }
    const now = this.deps.clock.now();
    for (const [vantage, recent] of this.recent) {
      const impaired = vantageImpaired(recent.values(), now, DEFAULT_VANTAGE_POLICY);
      if (impaired === this.impaired.has(vantage)) continue;
      if (impaired) this.impaired.add(vantage);
      else this.impaired.delete(vantage);
      const where = vantage === 'local' ? "this machine's network" : `vantage ${vantage}'s network`;
      if (impaired) this.deps.log.warn({ vantage }, `every recent check failed before reaching its target: ${where} looks down; its failures do not confirm outages until it is back`);
      else this.deps.log.info({ vantage }, 'checks reach their targets again: outages are confirmed as usual');
      this.deps.onChange?.(vantage, impaired);
    }
    return this.impaired;
  }
}
