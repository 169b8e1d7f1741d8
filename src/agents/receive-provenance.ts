// The hub receiving an agent's signed provenance snapshots: check the signature, check each snapshot
// (well formed, of a monitor this agent is assigned, of the host that monitor connects to), and hand
// the good ones to the ProvenanceRecorder with the agent as vantage, so the ledger, change events and
// policy violations are kept per vantage exactly as for the hub's own snapshots. Answered per snapshot
// after the recorder has written them; refusals carry a reason, never a 500.
import type { Logger } from 'pino';
import type { AgentRecord } from '../domain/agent.js';
import type { MonitorSpec } from '../domain/monitor.js';
import { checkedFrom } from '../domain/vantage-patterns.js';
import type { ObservedProvenance } from '../provenance/ledger-step.js';
import { provenanceTargetOf } from '../provenance/schedule.js';
import { canonicalSnapshotsText, signatureProblem } from './signatures.js';
import { readPushedSnapshot } from './snapshot-input.js';

/** Most snapshots in one request; an agent sends at most this many at once. */
export const MAX_SNAPSHOTS_PER_BATCH = 100;
/** A snapshot taken further ahead of the hub's clock than this is refused (a wrong clock would freeze the ledger). */
const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

export type SnapshotRefusalReason = 'malformed' | 'unknown_monitor' | 'not_assigned' | 'not_observed' | 'wrong_host' | 'in_the_future' | 'bad_signature' | 'batch_too_large';

export type SnapshotOutcome = { readonly status: 'recorded' } | { readonly status: 'refused'; readonly reason: SnapshotRefusalReason; readonly message: string };

export interface PushedSnapshots {
  readonly agent?: unknown;
  readonly sentAt?: unknown;
  readonly snapshots: readonly unknown[];
  readonly signature?: unknown;
}

export interface SnapshotsAnswer {
  readonly results: readonly SnapshotOutcome[];
}

export interface ReceiveProvenanceDeps {
  readonly monitors: ReadonlyMap<string, MonitorSpec>;
  /** The hub's ProvenanceRecorder; resolves once written (a storage failure is kept and retried there). */
  record(observed: ObservedProvenance): Promise<void>;
  readonly clock: { now(): number };
  readonly log: Logger;
}

export async function receiveSnapshots(deps: ReceiveProvenanceDeps, agent: AgentRecord, pushed: PushedSnapshots): Promise<SnapshotsAnswer> {
  const all = (reason: SnapshotRefusalReason, message: string): SnapshotsAnswer => ({ results: pushed.snapshots.map(() => ({ status: 'refused', reason, message })) });
  if (pushed.snapshots.length > MAX_SNAPSHOTS_PER_BATCH) {
    return all('batch_too_large', `a batch holds at most ${MAX_SNAPSHOTS_PER_BATCH} snapshots, this one ${pushed.snapshots.length}: send it in parts`);
  }
  const problem = signatureProblem(agent, pushed, (sentAt) => canonicalSnapshotsText({ agent: agent.name, sentAt, snapshots: pushed.snapshots }));
  if (problem) {
    deps.log.warn({ agent: agent.name, snapshots: pushed.snapshots.length, problem }, 'agent provenance refused: bad signature');
    return all('bad_signature', problem);
  }
  const results: SnapshotOutcome[] = [];
  const writes: Promise<void>[] = [];
  for (const raw of pushed.snapshots) {
    const checked = checkSnapshot(deps, agent, raw);
    if ('refused' in checked) results.push(checked.refused);
    else {
      writes.push(deps.record(checked.observed));
      results.push({ status: 'recorded' });
    }
  }
  await Promise.all(writes);
  return { results };
}

function checkSnapshot(deps: ReceiveProvenanceDeps, agent: AgentRecord, raw: unknown): { observed: ObservedProvenance } | { refused: SnapshotOutcome } {
  const refused = (reason: SnapshotRefusalReason, message: string) => ({ refused: { status: 'refused', reason, message } as const });
  const input = readPushedSnapshot(raw);
  if ('problem' in input) return refused('malformed', input.problem);
  const { monitorId, at, snapshot } = input.pushed;
  const monitor = deps.monitors.get(monitorId);
  if (!monitor) return refused('unknown_monitor', `no monitor ${JSON.stringify(monitorId.slice(0, 64))} on this hub`);
  if (!checkedFrom(monitor.vantages, agent.name, agent.region ?? agent.claimedRegion)) {
    return refused('not_assigned', `monitor ${monitorId} is not checked from ${agent.name} (vantages: ${monitor.vantages?.join(', ')})`);
  }
  const target = provenanceTargetOf(monitor);
  if (!target) return refused('not_observed', `monitor ${monitorId} has no host name to observe (an address literal, localhost or a DNS monitor)`);
  if (snapshot.host.toLowerCase() !== target.host.toLowerCase() || snapshot.port !== target.port) {
    return refused('wrong_host', `monitor ${monitorId} connects to ${target.host}:${target.port}, not ${snapshot.host}:${snapshot.port}`);
  }
  if (at > deps.clock.now() + MAX_CLOCK_AHEAD_MS) return refused('in_the_future', `taken at ${new Date(at).toISOString()}, ahead of the hub's clock: check the agent's clock`);
  return { observed: { monitorId, vantage: agent.name, at, snapshot } };
}
