import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyJudgements, type PolicyJudgement, type PolicyViolation } from '../../src/domain/policy-incidents.js';
import type { PolicyBreach } from '../../src/domain/policies.js';

const US: PolicyBreach[] = [{ rule: 'allow.countries', value: 'US' }];
const ASN: PolicyBreach[] = [{ rule: 'deny.asns', value: 'AS64501' }];

const judgement = (vantage: string, at: number, breaches: PolicyBreach[], policyId = 'eu-only'): PolicyJudgement => ({
  policyId,
  monitorId: 'web',
  monitorName: 'Website',
  vantage,
  at,
  breaches,
  ledgerEntryId: `entry-${at}`,
  seen: 'x',
});

function ids(): () => string {
  let n = 0;
  return () => `id${++n}`;
}

/** Runs judgements one batch at a time, carrying the violations over, and tells what happened. */
function run(batches: PolicyJudgement[][]): { events: string[]; violations: PolicyViolation[] } {
  let violations: PolicyViolation[] = [];
  const events: string[] = [];
  const next = ids();
  for (const batch of batches) {
    const changes = applyJudgements(violations, batch, next);
    for (const incident of changes.incidents.opened) events.push(`open ${incident.kind} ${incident.timeline.map((e) => e.kind).join(',')}`);
    for (const entry of changes.incidents.appended) events.push(`append ${entry.kind}`);
    for (const resolved of changes.incidents.resolved) events.push(`resolve ${resolved.id}@${resolved.resolvedAt}`);
    const removed = new Set(changes.removed.map((r) => `${r.policyId}/${r.vantage}`));
    const upserted = new Map(changes.upserted.map((v) => [`${v.policyId}/${v.vantage}`, v]));
    violations = [
      ...violations.filter((v) => !removed.has(`${v.policyId}/${v.vantage}`) && !upserted.has(`${v.policyId}/${v.vantage}`)),
      ...upserted.values(),
    ];
  }
  return { events, violations };
}

describe('policy violations and their incidents', () => {
  const cases: { name: string; batches: PolicyJudgement[][]; events: string[]; open: string[] }[] = [
    { name: 'complying opens nothing', batches: [[judgement('local', 1, [])]], events: [], open: [] },
    { name: 'a breach opens an incident', batches: [[judgement('local', 1, US)]], events: ['open policy_violation policy_violated'], open: ['eu-only/local'] },
    { name: 'the same breach again adds nothing', batches: [[judgement('local', 1, US)], [judgement('local', 2, US)]], events: ['open policy_violation policy_violated'], open: ['eu-only/local'] },
    {
      name: 'another breach is appended',
      batches: [[judgement('local', 1, US)], [judgement('local', 2, ASN)]],
      events: ['open policy_violation policy_violated', 'append policy_violated'],
      open: ['eu-only/local'],
    },
    {
      name: 'complying again resolves it',
      batches: [[judgement('local', 1, US)], [judgement('local', 2, [])]],
      events: ['open policy_violation policy_violated', 'append policy_complied', 'resolve id1@2'],
      open: [],
    },
    {
      name: 'a second vantage joins the open incident; it resolves when both comply',
      batches: [[judgement('local', 1, US)], [judgement('eu-west', 2, US)], [judgement('local', 3, [])], [judgement('eu-west', 4, [])]],
      events: ['open policy_violation policy_violated', 'append policy_violated', 'append policy_complied', 'append policy_complied', 'resolve id1@4'],
      open: [],
    },
    {
      name: 'two policies, two incidents',
      batches: [[judgement('local', 1, US), judgement('local', 1, ASN, 'no-b')]],
      events: ['open policy_violation policy_violated', 'open policy_violation policy_violated'],
      open: ['eu-only/local', 'no-b/local'],
    },
    {
      name: 'broken, mended and broken again within one batch: a second incident, still open',
      batches: [[judgement('local', 1, US), judgement('local', 2, []), judgement('local', 3, US)]],
      events: ['open policy_violation policy_violated', 'open policy_violation policy_violated', 'append policy_complied', 'resolve id1@2'],
      open: ['eu-only/local'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { events, violations } = run(c.batches);
      assert.deepEqual(events, c.events);
      assert.deepEqual(violations.map((v) => `${v.policyId}/${v.vantage}`).sort(), c.open);
    });
  }

  it('keeps when a vantage first saw the breach', () => {
    const { violations } = run([[judgement('local', 1, US)], [judgement('local', 5, ASN)]]);
    assert.equal(violations[0]?.since, 1);
    assert.deepEqual(violations[0]?.breaches, ASN);
  });
});
