// The hub receiving a signed batch from an agent: check the signature, check each observation, hand
// the good ones to ingest and keep the signed batch in the same transaction, then say what became of
// each observation. Nothing is stored unless the signature holds; nothing malformed reaches ingest.
import type { Logger } from 'pino';
import type { AgentRecord, BatchCoverage, SignedBatch } from '../domain/agent.js';
import type { MonitorSpec } from '../domain/monitor.js';
import type { Observation } from '../domain/observation.js';
import { resultId, seriesSuffix } from '../domain/result-id.js';
import { checkedFrom } from '../domain/vantage-patterns.js';
import type { Ingest, RefusalReason, SubmittedEntry } from '../ingest/ingest.js';
import type { Clock } from '../runtime/clock.js';
import type { Store } from '../storage/store.js';
import { readObservation } from './observation-input.js';
import { batchDigest, canonicalBatchText, signatureProblem } from './signatures.js';

/** Most observations in one batch; an agent sends at most this many at once. */
export const MAX_BATCH_OBSERVATIONS = 1000;

export type AgentRefusalReason = RefusalReason | 'malformed' | 'wrong_vantage' | 'not_assigned' | 'bad_signature' | 'batch_too_large';

/** What became of one pushed observation; `duplicate` means it was stored before (a resend): acknowledged too. */
export type PushOutcome =
  | { readonly status: 'stored'; readonly id: string }
  | { readonly status: 'duplicate'; readonly id: string }
  | { readonly status: 'refused'; readonly reason: AgentRefusalReason; readonly message: string };

export interface PushedBatch {
  readonly agent?: unknown;
  readonly sentAt?: unknown;
  readonly observations: readonly unknown[];
  readonly signature?: unknown;
}

export interface PushAnswer {
  /** The batch's digest, when its signature held. */
  readonly batch?: string;
  readonly results: readonly PushOutcome[];
}

export interface ReceiveDeps {
  readonly ingest: Pick<Ingest, 'submit' | 'refusalOf'>;
  readonly store: Pick<Store, 'transact'>;
  readonly clock: Clock;
  readonly log: Logger;
  readonly monitors: ReadonlyMap<string, MonitorSpec>;
}

export async function receiveBatch(deps: ReceiveDeps, agent: AgentRecord, pushed: PushedBatch): Promise<PushAnswer> {
  const all = (reason: AgentRefusalReason, message: string): PushAnswer => ({
    results: pushed.observations.map(() => ({ status: 'refused', reason, message })),
  });
  if (pushed.observations.length > MAX_BATCH_OBSERVATIONS) {
    return all('batch_too_large', `a batch holds at most ${MAX_BATCH_OBSERVATIONS} observations, this one ${pushed.observations.length}: send it in parts`);
  }
  const problem = signatureProblem(agent, pushed, (sentAt) => canonicalBatchText({ agent: agent.name, sentAt, observations: pushed.observations }));
  if (problem) {
    deps.log.warn({ agent: agent.name, observations: pushed.observations.length, problem }, 'agent batch refused: bad signature');
    return all('bad_signature', problem);
  }
  const text = canonicalBatchText({ agent: agent.name, sentAt: pushed.sentAt as number, observations: pushed.observations });
  const digest = batchDigest(text);

  const outcomes: (PushOutcome | undefined)[] = new Array(pushed.observations.length);
  const accepted: Observation[] = [];
  const acceptedAt: number[] = [];
  const refusedAsSent: unknown[] = [];
  const seen = new Set<string>();
  for (const [index, raw] of pushed.observations.entries()) {
    const checked = checkObservation(deps, agent, raw, seen);
    if ('refused' in checked) {
      outcomes[index] = checked.refused;
      refusedAsSent.push(raw);
    } else {
      accepted.push(checked.observation);
      acceptedAt.push(index);
    }
  }

  const signed = (covers: readonly BatchCoverage[]): SignedBatch => ({
    digest,
    agent: agent.name,
    signature: pushed.signature as string,
    sentAt: pushed.sentAt as number,
    receivedAt: deps.clock.now(),
    observations: pushed.observations.length,
    covers,
    refused: refusedAsSent,
  });
  if (accepted.length === 0) {
    await deps.store.transact((tx) => tx.batches.record(signed([])));
  } else {
    const submitted = await deps.ingest.submit(accepted, (tx, entries) => tx.batches.record(signed(coverageOf(entries))));
    for (const [i, outcome] of submitted.entries()) {
      const observation = accepted[i]!;
      outcomes[acceptedAt[i]!] =
        'stored' in outcome
          ? { status: 'stored', id: outcome.stored }
          : outcome.refused.reason === 'duplicate'
            ? { status: 'duplicate', id: idOf(observation) }
            : { status: 'refused', reason: outcome.refused.reason, message: outcome.refused.message };
    }
  }
  return { batch: digest, results: outcomes as PushOutcome[] };
}

type Checked = { readonly observation: Observation } | { readonly refused: PushOutcome };

function checkObservation(deps: ReceiveDeps, agent: AgentRecord, raw: unknown, seen: Set<string>): Checked {
  const agentName = agent.name;
  const refused = (reason: AgentRefusalReason, message: string): Checked => ({ refused: { status: 'refused', reason, message } });
  const input = readObservation(raw);
  if ('problem' in input) return refused('malformed', input.problem);
  const { observation } = input;
  if (observation.vantage !== agentName) return refused('wrong_vantage', `observations of agent ${agentName} must name it as their vantage, not "${observation.vantage}"`);
  const monitor = deps.monitors.get(observation.monitorId);
  if (monitor && !checkedFrom(monitor.vantages, agentName, agent.region ?? agent.claimedRegion)) {
    return refused('not_assigned', `monitor ${observation.monitorId} is not checked from ${agentName} (vantages: ${monitor.vantages?.join(', ')})`);
  }
  if (monitor && monitor.probe.type !== observation.details.type) {
    return refused('malformed', `monitor ${observation.monitorId} is a ${monitor.probe.type} monitor, not ${observation.details.type}`);
  }
  const refusal = deps.ingest.refusalOf(observation);
  if (refusal) return refused(refusal.reason, refusal.message);
  const key = `${observation.monitorId}\u0000${observation.startedAt}`;
  if (seen.has(key)) return refused('duplicate', `the batch holds ${observation.monitorId} at ${new Date(observation.startedAt).toISOString()} twice`);
  seen.add(key);
  return { observation };
}

function idOf(observation: Observation): string {
  return resultId(seriesSuffix(observation.monitorId, observation.vantage), observation.startedAt);
}

/** The stored observations of a batch, per series: the time range and how many. */
function coverageOf(entries: readonly SubmittedEntry[]): BatchCoverage[] {
  const byMonitor = new Map<string, { from: number; to: number; count: number }>();
  for (const { observation } of entries) {
    const range = byMonitor.get(observation.monitorId);
    if (!range) byMonitor.set(observation.monitorId, { from: observation.startedAt, to: observation.startedAt, count: 1 });
    else {
      range.from = Math.min(range.from, observation.startedAt);
      range.to = Math.max(range.to, observation.startedAt);
      range.count++;
    }
  }
  return [...byMonitor].sort(([a], [b]) => (a < b ? -1 : 1)).map(([monitorId, range]) => ({ monitorId, ...range }));
}
