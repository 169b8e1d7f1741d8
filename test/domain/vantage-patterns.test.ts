import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkedFrom, matchesVantage, unreachableQuorums } from '../../src/domain/vantage-patterns.js';

describe('vantage patterns', () => {
  const cases: ReadonlyArray<{ pattern: string; vantage: string; expected: boolean }> = [
    { pattern: 'a1', vantage: 'a1', expected: true },
    { pattern: 'a1', vantage: 'a10', expected: false },
    { pattern: 'eu-*', vantage: 'eu-west', expected: true },
    { pattern: 'eu-*', vantage: 'eu-', expected: true },
    { pattern: 'eu-*', vantage: 'us-east', expected: false },
    { pattern: '*-east', vantage: 'us-east', expected: true },
    { pattern: '*', vantage: 'local', expected: true },
    { pattern: 'a*b*c', vantage: 'abc', expected: true },
    { pattern: 'a*b*c', vantage: 'axxbyyc', expected: true },
    { pattern: 'a*b*c', vantage: 'acb', expected: false },
    { pattern: 'ab*ba', vantage: 'aba', expected: false },
  ];
  for (const { pattern, vantage, expected } of cases) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${vantage}`, () => assert.equal(matchesVantage(pattern, vantage), expected));
  }
  it('no patterns: every vantage', () => assert.equal(checkedFrom(undefined, 'anything'), true));
  it('an empty list: none', () => assert.equal(checkedFrom([], 'local'), false));
  const byRegion: ReadonlyArray<{ patterns: string[]; name: string; region?: string; expected: boolean }> = [
    { patterns: ['eu-*'], name: 'a1', region: 'eu-west', expected: true },
    { patterns: ['eu-west'], name: 'a1', region: 'eu-west', expected: true },
    { patterns: ['eu-*'], name: 'a1', region: 'us-east', expected: false },
    { patterns: ['eu-*'], name: 'a1', expected: false },
    { patterns: ['a1', 'us-*'], name: 'b2', region: 'us-east', expected: true },
    { patterns: ['eu-*'], name: 'eu-hub', region: 'us-east', expected: true },
  ];
  for (const { patterns, name, region, expected } of byRegion) {
    it(`[${patterns.join(', ')}] ${expected ? 'takes' : 'leaves out'} ${name} in ${region ?? 'no region'}`, () => assert.equal(checkedFrom(patterns, name, region), expected));
  }
});

describe('quorums larger than the vantages known', () => {
  const known = [{ name: 'local' }, { name: 'a1', region: 'eu-west' }, { name: 'b2', region: 'us-east' }];
  it('named with how many vantages check the monitor', () => {
    const monitors = [
      { id: 'fine', quorum: 2 },
      { id: 'eu', quorum: 2, vantages: ['eu-*'] },
      { id: 'all', quorum: 4 },
      { id: 'default' },
    ];
    assert.deepEqual(unreachableQuorums(monitors, known), [
      { monitorId: 'eu', quorum: 2, vantages: 1 },
      { monitorId: 'all', quorum: 4, vantages: 3 },
    ]);
  });
});
