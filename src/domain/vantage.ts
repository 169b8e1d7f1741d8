// Is it them or us? A check that fails before it reaches the target's network says nothing about the
// target. When every recent check of several unrelated targets fails that way at once, the vantage
// itself (this machine's network or resolver) is down, and no platform should be blamed for it. Pure.
import type { ErrorKind } from './observation.js';
import type { ProbeSpec } from './monitor.js';

/** Failure kinds of a check that never reached the target: no route, no answer to SYN, no name resolution. */
export const LOCAL_FAILURE_KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>(['connect_unreachable', 'connect_timeout', 'dns_timeout', 'dns_error']);

export interface RecentCheck {
  /** The host the check talks to (for DNS monitors, the resolver). */
  readonly target: string;
  readonly ok: boolean;
  readonly errorKind?: ErrorKind;
  readonly at: number;
}

export interface VantagePolicy {
  /** Only checks this recent count. */
  readonly windowMs: number;
  /** Fewer distinct targets than this never make a verdict: two dead hosts are just two dead hosts. */
  readonly minTargets: number;
}

export const DEFAULT_VANTAGE_POLICY: VantagePolicy = { windowMs: 5 * 60_000, minTargets: 3 };

/** The host a check talks to; DNS checks talk to their resolver. */
export function targetHost(probe: ProbeSpec): string {
  switch (probe.type) {
    case 'http':
      return URL.canParse(probe.url) ? new URL(probe.url).hostname : probe.url;
    case 'tcp':
    case 'tls':
      return probe.host;
    case 'dns':
      return probe.resolver?.host ?? 'system resolver';
  }
}

/** Impaired when at least minTargets distinct targets were checked recently and all of them failed locally. */
export function vantageImpaired(recent: Iterable<RecentCheck>, now: number, policy: VantagePolicy = DEFAULT_VANTAGE_POLICY): boolean {
  const tally = new Tally(now, policy);
  for (const check of recent) tally.add(check, false);
  return tally.unreachable();
}

/** Counts of recent checks in one pass, no copies: a hub with 10,000 monitors judges its vantage every batch. */
class Tally {
  monitors = 0;
  failingMonitors = 0;
  controls = 0;
  passingControls = 0;
  private allLocal = true;
  private readonly targets = new Set<string>();

  constructor(
    private readonly now: number,
    private readonly policy: VantagePolicy,
  ) {}

  add(check: RecentCheck, control: boolean): void {
    if (this.now - check.at > this.policy.windowMs) return;
    if (control) {
      this.controls += 1;
      if (check.ok) this.passingControls += 1;
    } else {
      this.monitors += 1;
      if (!check.ok) this.failingMonitors += 1;
    }
    if (!this.allLocal) return;
    if (check.ok || check.errorKind === undefined || !LOCAL_FAILURE_KINDS.has(check.errorKind)) this.allLocal = false;
    else this.targets.add(check.target);
  }

  unreachable(): boolean {
    return this.allLocal && this.targets.size >= this.policy.minTargets;
  }
}

/**
 * Why a vantage is impaired: `unreachable`, every recent check failed before reaching its target (the
 * rule above); `controls`, its reference targets (config `controls:`) all fail while most of its
 * monitors fail too. Any failure of a vantage impaired by its controls is no evidence about a target.
 */
export type Impairment = 'unreachable' | 'controls';

/** Whether, and why, a vantage is impaired, from its recent checks of monitors and of controls. */
export function vantageImpairment(
  monitors: Iterable<RecentCheck>,
  controls: Iterable<RecentCheck>,
  now: number,
  policy: VantagePolicy = DEFAULT_VANTAGE_POLICY,
): Impairment | undefined {
  const tally = new Tally(now, policy);
  for (const check of monitors) tally.add(check, false);
  for (const check of controls) tally.add(check, true);
  if (tally.unreachable()) return 'unreachable';
  if (tally.controls === 0 || tally.passingControls > 0) return undefined;
  return tally.monitors === 0 || tally.failingMonitors * 2 > tally.monitors ? 'controls' : undefined;
}
