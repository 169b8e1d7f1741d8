// When the hub takes provenance snapshots: for each monitor with a host name, at most once per
// `provenance.interval`, and sooner when a check connected to an address the last snapshot did not
// list. Driven by the checks' observations (a paused monitor is not observed either); snapshots run
// in the main thread, never in the checks thread, at most `concurrency` at once, and a monitor
// already being observed is not queued twice.
import { isIP } from 'node:net';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { MonitorSpec } from '../domain/monitor.js';
import type { Observation } from '../domain/observation.js';
import type { Clock } from '../runtime/clock.js';
import type { LedgerEntry } from './ledger-step.js';
import type { ProvenanceSnapshot } from './snapshot.js';

/** What to observe for a monitor. */
export interface ProvenanceTarget {
  readonly host: string;
  readonly port: number;
  /** Take the certificate (https, tls monitors). */
  readonly tls: boolean;
  /** Ask for the response headers (one HEAD) to read CDN hints: http monitors. */
  readonly http: boolean;
}

/** Takes one snapshot. Failures are data (`snapshot.error`); a throw is a bug, logged. */
export type ObserveProvenance = (target: ProvenanceTarget, signal: AbortSignal) => Promise<ProvenanceSnapshot>;

/** Names with nothing to learn: address literals, and localhost (RFC 6761), which no resolver should be asked about. */
const notObserved = (host: string): boolean => isIP(host) !== 0 || /(^|\.)localhost\.?$/i.test(host);

/**
 * The host a monitor connects to by name, or undefined for an address literal or localhost (nothing
 * to resolve) and for DNS monitors (they connect to nothing but their resolver).
 */
export function provenanceTargetOf(monitor: MonitorSpec): ProvenanceTarget | undefined {
  const target = targetOf(monitor);
  return target && !notObserved(target.host) ? target : undefined;
}

function targetOf(monitor: MonitorSpec): ProvenanceTarget | undefined {
  const probe = monitor.probe;
  switch (probe.type) {
    case 'http': {
      const url = new URL(probe.url);
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const tls = url.protocol === 'https:';
      return { host, port: url.port ? Number(url.port) : tls ? 443 : 80, tls, http: true };
    }
    case 'tcp':
      return { host: probe.host, port: probe.port, tls: false, http: false };
    case 'tls':
      return { host: probe.host, port: probe.port, tls: true, http: false };
    case 'dns':
      return undefined;
  }
}

export interface ScheduleDeps {
  readonly monitors: ReadonlyMap<string, MonitorSpec>;
  /** The hub's own vantage: only its observations lead to snapshots here. */
  readonly vantage: string;
  readonly intervalMs: number;
  readonly observe: ObserveProvenance;
  record(snapshot: { monitorId: string; vantage: string; at: number; snapshot: ProvenanceSnapshot }): Promise<void>;
  readonly clock: Clock;
  readonly log: Logger;
  /** Snapshots taken at once. Default 4. */
  readonly concurrency?: number;
  /** Snapshots waiting at most; beyond, a due one waits for a later check. Default 1,000. */
  readonly maxQueued?: number;
  /** A new peer address brings a snapshot forward, but not sooner than this after the last. Default 1m. */
  readonly minGapMs?: number;
  /** A snapshot is given this long at most. Default 30 s. */
  readonly timeoutMs?: number;
}

export class ProvenanceSchedule {
  private readonly targets = new Map<string, ProvenanceTarget>();
  private readonly lastTaken = new Map<string, number>();
  private readonly knownAddresses = new Map<string, ReadonlySet<string>>();
  private readonly busy = new Set<string>();
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly running = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  private intervalMs: number;

  constructor(private readonly deps: ScheduleDeps) {
    this.limit = pLimit(deps.concurrency ?? 4);
    this.intervalMs = deps.intervalMs;
    this.monitorsChanged();
  }

  /** The monitors map changed (an API write, a reload): targets follow; what was taken stays known. */
  monitorsChanged(): void {
    this.targets.clear();
    for (const monitor of this.deps.monitors.values()) {
      const target = provenanceTargetOf(monitor);
      if (target) this.targets.set(monitor.id, target);
    }
  }

  /** A reloaded `provenance.interval`: applies from the next observation of each monitor. */
  setIntervalMs(intervalMs: number): void {
    this.intervalMs = intervalMs;
  }

  /** Resumes from the ledger: when each monitor was last observed from here, and what it resolved to. */
  restore(current: readonly LedgerEntry[]): void {
    for (const entry of current) {
      if (entry.vantage !== this.deps.vantage) continue;
      this.lastTaken.set(entry.monitorId, entry.lastSeen);
      this.knownAddresses.set(entry.monitorId, new Set(entry.view.addresses));
    }
  }

  /** Called with every observation the hub makes; takes a snapshot when one is due. Cheap when not. */
  noticed(observation: Observation): void {
    if (observation.vantage !== this.deps.vantage || this.stopping.signal.aborted) return;
    const monitorId = observation.monitorId;
    const target = this.targets.get(monitorId);
    if (!target || this.busy.has(monitorId)) return;
    const now = this.deps.clock.now();
    const last = this.lastTaken.get(monitorId);
    const due = last === undefined || now - last >= this.intervalMs;
    const known = this.knownAddresses.get(monitorId);
    const newPeer =
      observation.peerAddress !== undefined && known !== undefined && !known.has(observation.peerAddress) && now - (last ?? 0) >= (this.deps.minGapMs ?? 60_000);
    if (!due && !newPeer) return;
    if (this.limit.pendingCount >= (this.deps.maxQueued ?? 1000)) return;
    this.busy.add(monitorId);
    this.lastTaken.set(monitorId, now);
    const run = this.limit(() => this.take(monitorId, target)).finally(() => {
      this.busy.delete(monitorId);
      this.running.delete(run);
    });
    this.running.add(run);
  }

  /** Stops taking snapshots; those running are aborted and awaited. */
  async stop(): Promise<void> {
    // Queued snapshots see the abort and return at once.
    this.stopping.abort();
    await Promise.allSettled([...this.running]);
  }

  private async take(monitorId: string, target: ProvenanceTarget): Promise<void> {
    if (this.stopping.signal.aborted) return;
    const signal = AbortSignal.any([this.stopping.signal, AbortSignal.timeout(this.deps.timeoutMs ?? 30_000)]);
    try {
      const snapshot = await this.deps.observe(target, signal);
      if (this.stopping.signal.aborted) return;
      if (snapshot.addresses.length > 0) this.knownAddresses.set(monitorId, new Set(snapshot.addresses.map((a) => a.address)));
      await this.deps.record({ monitorId, vantage: this.deps.vantage, at: this.deps.clock.now(), snapshot });
    } catch (error) {
      this.deps.log.error({ err: error, monitor: monitorId }, 'provenance: taking a snapshot failed unexpectedly');
    }
  }
}
