// Shared expectations for probe tests: plausible phases and a failure of a given kind.
import assert from 'node:assert/strict';
import type { Details } from '../../src/domain/observation.js';
import type { ProbeOutcome } from '../../src/probes/types.js';

export function assertPlausiblePhases(outcome: ProbeOutcome, present: readonly string[], absent: readonly string[] = []): void {
  const phases = outcome.phases as unknown as Record<string, number | undefined>;
  assert.ok(phases.total !== undefined && phases.total >= 0, 'total present and >= 0');
  for (const name of present) {
    const value = phases[name];
    assert.equal(typeof value, 'number', `phase ${name} present in ${JSON.stringify(phases)}`);
    assert.ok(value! >= 0 && value! <= phases.total!, `phase ${name}=${value} within total ${phases.total}`);
  }
  for (const name of absent) assert.equal(phases[name], undefined, `phase ${name} absent in ${JSON.stringify(phases)}`);
  const sequential = (phases.dns ?? 0) + (phases.connect ?? 0) + (phases.tls ?? 0);
  if (phases.ttfb !== undefined) assert.ok(phases.ttfb >= sequential - 1, `ttfb ${phases.ttfb} covers dns+connect+tls ${sequential}`);
}

export function assertFailure(outcome: ProbeOutcome, kind: string, messagePart?: string | RegExp): void {
  assert.equal(outcome.ok, false, `expected failure ${kind}, got ok: ${JSON.stringify(outcome)}`);
  assert.equal(outcome.error?.kind, kind, `expected ${kind}, got ${JSON.stringify(outcome.error)}`);
  if (typeof messagePart === 'string') assert.ok(outcome.error.message.includes(messagePart), `message ${JSON.stringify(outcome.error.message)} lacks ${JSON.stringify(messagePart)}`);
  else if (messagePart) assert.match(outcome.error.message, messagePart);
}

export function assertOk(outcome: ProbeOutcome): void {
  assert.equal(outcome.ok, true, `expected ok, got ${JSON.stringify(outcome.error)} ${JSON.stringify(outcome.details)}`);
  assert.equal(outcome.error, undefined);
}

/** The outcome's details, checked to be of the probe type expected. */
export function detailsOf<T extends Details['type']>(outcome: ProbeOutcome, type: T): Extract<Details, { type: T }> {
  assert.equal(outcome.details.type, type, `details of type ${type} expected: ${JSON.stringify(outcome.details)}`);
  return outcome.details as Extract<Details, { type: T }>;
}
