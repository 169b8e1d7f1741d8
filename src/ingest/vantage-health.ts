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

export interface Observed {
  /** For each observation (same order): why its vantage was impaired when it was made, if it was. */
  readonly whenMade: readonly (Impairment | undefined)[];
  /** The vantages impaired now. */
  readonly now: ReadonlyMap<string, Impairment>;
}

type MutableCheck = { -readonly [K in keyof RecentCheck]: RecentCheck[K] };

interface Recent {
  /** Latest check of each monitor, and of each control. */
  readonly monitors: Map<string, MutableCheck>;
  readonly controls: Map<string, MutableCheck>;
}

export class VantageHealth {
  private readonly recent = new Map<string, Recent>();
  private readonly impaired = new Map<string, Impairment>();
  /** Per vantage, the verdict as of its latest observation taken into account (by when it was made). */
  private readonly whenMade = new Map<string, Impairment | undefined>();

  constructor(private readonly deps: VantageHealthDeps) {}

  /** The host each monitor talks to, parsed once per spec rather than once per check. */
  private readonly targets = new WeakMap<MonitorSpec, string>();

  private targetOf(spec: MonitorSpec): string {
    let target = this.targets.get(spec);
    if (target === undefined) this.targets.set(spec, (target = targetHost(spec.probe)));
    return target;
  }

  isImpaired(vantage: string): boolean {
    return this.impaired.has(vantage);
  }

  /** Why a vantage is impaired, if it is. */
  impairmentOf(vantage: string): Impairment | undefined {
    return this.impaired.get(vantage);
  }

  /**
   * Takes these observations into account, each vantage's in the order they were made, and says of each
   * whether its vantage was impaired when it was made: an agent back from an outage of its own network
   * sends its failures together with its first passing checks, and those failures are no evidence
   * against a target even though the vantage is healthy again by the end of the batch.
   */
  observe(observations: readonly Observation[]): Observed {
    const whenMade = new Array<Impairment | undefined>(observations.length);
    const order = observations.map((_, index) => index).sort((a, b) => observations[a]!.startedAt - observations[b]!.startedAt);
    for (const index of order) {
      const observation = observations[index]!;
      const monitor = this.deps.monitors.get(observation.monitorId);
      const control = monitor ? undefined : this.deps.controls?.get(observation.monitorId);
      const spec = monitor ?? control;
      if (!spec) continue;
      let recent = this.recent.get(observation.vantage);
      if (!recent) this.recent.set(observation.vantage, (recent = { monitors: new Map(), controls: new Map() }));
      const checks = control ? recent.controls : recent.monitors;
      const previous = checks.get(spec.id);
      const errorKind = observation.error?.kind;
      const changed = !previous || previous.ok !== observation.ok || previous.errorKind !== errorKind;
      // Kept until the monitor's next check: updated in place, not replaced by a new object each time.
      const check: MutableCheck = previous ?? { target: this.targetOf(spec), ok: observation.ok, at: observation.startedAt };
      check.ok = observation.ok;
      check.at = observation.startedAt;
      if (errorKind !== undefined) check.errorKind = errorKind;
      else if (check.errorKind !== undefined) delete check.errorKind;
      if (!previous) checks.set(spec.id, check);
      // Only a check that changed can change the verdict: steady checks cost no re-evaluation. Nor does a
      // passing check of a vantage that is not impaired (impairment needs failures): at start, when every
      // check is new, that kept a 10,000-monitor hub from judging its vantage 10,000 times over.
      const unimpairedPass = check.ok && this.whenMade.has(observation.vantage) && this.whenMade.get(observation.vantage) === undefined;
      if ((changed || !this.whenMade.has(observation.vantage)) && !unimpairedPass) {
        this.whenMade.set(observation.vantage, vantageImpairment(recent.monitors.values(), recent.controls.values(), check.at, DEFAULT_VANTAGE_POLICY));
      }
      whenMade[index] = this.whenMade.get(observation.vantage);
    }
    return { whenMade, now: this.current() };
  }

  /** The vantages impaired now, with why; says when a verdict changes. */
  private current(): ReadonlyMap<string, Impairment> {
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
