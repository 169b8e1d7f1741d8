// Rows describing a submission (an agent's signed batch), written in the transaction that stores its
// observations, so they are committed with them or not at all.
import type { Observation } from '../domain/observation.js';
import type { CheckResult } from '../domain/verdict.js';
import type { UnitOfWork } from '../storage/store.js';

/** What became of one observation of a submission in the batch that stored it. */
export interface SubmittedEntry {
  readonly observation: Observation;
  readonly id: string;
  /** False when it was stored before (a resent copy). */
  readonly inserted: boolean;
}

/**
 * Called in the transaction that stores a submission's observations, so rows describing the submission
 * (an agent's signed batch) are committed with them, or not at all. A submission is never split across
 * batches unless the hub drops part of it (storage failing long, or shutting down).
 */
export type SubmissionRecorder = (tx: UnitOfWork, entries: readonly SubmittedEntry[]) => Promise<void>;

/** A buffered observation that came with a submission. */
export interface SubmittedPending {
  readonly observation: Observation;
  readonly id: string;
  readonly submission?: { readonly record: SubmissionRecorder };
}

/** Runs each submission's recorder once, with its entries of this batch. */
export async function recordSubmissions(tx: UnitOfWork, batch: readonly SubmittedPending[], inserted: readonly CheckResult[]): Promise<void> {
  const bySubmission = new Map<SubmittedPending['submission'], SubmittedPending[]>();
  for (const entry of batch) {
    if (!entry.submission) continue;
    const entries = bySubmission.get(entry.submission);
    if (entries) entries.push(entry);
    else bySubmission.set(entry.submission, [entry]);
  }
  if (bySubmission.size === 0) return;
  const insertedIds = new Set(inserted.map((result) => result.id));
  for (const [submission, entries] of bySubmission) {
    await submission!.record(tx, entries.map((entry) => ({ observation: entry.observation, id: entry.id, inserted: insertedIds.has(entry.id) })));
  }
}
