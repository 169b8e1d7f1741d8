// Rules every snapshot obeys, whatever format it came in: bounded sizes, and no time in the future.
import type { DeclaredSnapshot, PollFailureKind, PollOutcome } from '../domain/declared.js';

/** Beyond this, a source is listing history, not current incidents: the newest are kept. */
export const MAX_INCIDENTS = 200;
export const MAX_UPDATES = 100;
/** Characters kept of any title or update text. */
export const MAX_TEXT = 2000;
/** A platform's clock may run ahead of ours by this much before its times are refused. */
export const FUTURE_ALLOWANCE_MS = 10 * 60_000;

export function fail(kind: PollFailureKind, message: string): PollOutcome {
  return { ok: false, failure: { kind, message } };
}

/**
 * A time in the future is a broken clock or a broken page; either way nothing it says can be placed in
 * time, so the poll fails rather than record it.
 */
export function checkTimes(snapshot: DeclaredSnapshot, now: number): PollOutcome {
  const limit = now + FUTURE_ALLOWANCE_MS;
  const times: [string, number | undefined][] = [
    ['the page update time', snapshot.overallUpdatedAt],
    ...snapshot.components.map((c): [string, number | undefined] => [`component "${c.name}"`, c.updatedAt]),
    ...snapshot.incidents.flatMap((i): [string, number | undefined][] => [
      [`incident "${i.title}"`, i.declaredAt],
      [`incident "${i.title}"`, i.startedAt],
      [`incident "${i.title}"`, i.resolvedAt],
      ...i.updates.map((u): [string, number | undefined] => [`an update of incident "${i.title}"`, u.at]),
    ]),
  ];
  for (const [what, at] of times) {
    if (at !== undefined && at > limit) return fail('time_in_future', `${what} is dated ${new Date(at).toISOString()}, later than now (${new Date(now).toISOString()})`);
  }
  return { ok: true, snapshot };
}
