// "Is it them or us?", kept per vantage from the observations ingest takes: the hub's own and every
// agent's. A vantage whose every recent check failed before reaching its target, or whose controls all
// fail while most of its monitors fail too, is impaired, and its failures prove nothing about the
// targets (domain/vantage.ts decides; this keeps the recent checks and says when a verdict changes).
import type { Logger } from 'pino';
import type { MonitorSpec } from '../domain/monitor.js';
import type { Observation } from '../domain/observation.js';
import { DEFAULT_VANTAGE_POLICY, targetHost, vantageImpairment, type Impairment, type RecentCheck } from '../domain/vantage.js';
import type { Clock } from '../runtime/clock.js';

export interface VantageHealthDeps {
  readonly monitors: ReadonlyMap<string, MonitorSpec>;
  /** Reference targets (config `controls:`), checked by every vantage. */
  readonly controls?: ReadonlyMap<string, MonitorSpec>;
  readonly clock: Clock;
  readonly log: Logger;
  /** The hub's own vantage, named as "this machine" in the log. */
  readonly local?: string;
  onChange?(vantage: string, impaired: boolean): void;
}

interface Recent {
  /** Latest check of each monitor, and of each control. */
  readonly monitors: Map<string, RecentCheck>;
  readonly controls: Map<string, RecentCheck>;
}

export class VantageHealth {
  private readonly recent = new Map<string, Recent>();
  private readonly impaired = new Map<string, Impairment>();

  constructor(private readonly deps: VantageHealthDeps) {}

  isImpaired(vantage: string): boolean {
    return this.impaired.has(vantage);
  }

  /** Why a vantage is impaired, if it is. */
  impairmentOf(vantage: string): Impairment | undefined {
    return this.impaired.get(vantage);
  }

  /** Takes these observations into account; returns the vantages impaired now, with why. */
  observe(observations: Iterable<Observation>): ReadonlyMap<string, Impairment> {
    for (const observation of observations) {
      const monitor = this.deps.monitors.get(observation.monitorId);
      const control = monitor ? undefined : this.deps.controls?.get(observation.monitorId);
      const spec = monitor ?? control;
      if (!spec) continue;
      let recent = this.recent.get(observation.vantage);
      if (!recent) this.recent.set(observation.vantage, (recent = { monitors: new Map(), controls: new Map() }));
      (control ? recent.controls : recent.monitors).set(spec.id, {
        target: targetHost(spec.probe),
        ok: observation.ok,
        at: observation.startedAt,
        ...(observation.error ? { errorKind: observation.error.kind } : {}),
      });
    }
    const now = this.deps.clock.now();
    for (const [vantage, recent] of this.recent) {
      const impairment = vantageImpairment(recent.monitors.values(), recent.controls.values(), now, DEFAULT_VANTAGE_POLICY);
      const before = this.impaired.get(vantage);
      if (impairment === before) continue;
      if (impairment) this.impaired.set(vantage, impairment);
      else this.impaired.delete(vantage);
      if ((impairment === undefined) === (before === undefined)) continue;
      const where = vantage === (this.deps.local ?? 'local') ? "this machine's network" : `vantage ${vantage}'s network`;
      if (impairment === 'unreachable') this.deps.log.warn({ vantage }, `every recent check failed before reaching its target: ${where} looks down; its failures do not confirm outages until it is back`);
      else if (impairment === 'controls') this.deps.log.warn({ vantage }, `its control targets and most of its monitors fail at once: ${where} looks impaired; its failures count against no target until it is back`);
      else this.deps.log.info({ vantage }, 'checks reach their targets again: outages are confirmed as usual');
      this.deps.onChange?.(vantage, impairment !== undefined);
    }
    return this.impaired;
  }
}
