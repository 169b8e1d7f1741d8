import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPublicAddress, webhookTargetProblem } from '../../src/notify/webhook-target.js';

describe('isPublicAddress', () => {
  const cases: ReadonlyArray<[string, boolean]> = [
    ['93.184.215.14', true], ['2a00:1450:4001:80b::200e', true],
    ['127.0.0.1', false], ['10.1.2.3', false], ['172.20.0.1', false], ['192.168.1.1', false], ['169.254.169.254', false],
    ['100.64.0.1', false], ['0.0.0.0', false], ['224.0.0.1', false], ['::1', false], ['fd00::1', false], ['fe80::1', false],
    ['::ffff:127.0.0.1', false], ['::ffff:93.184.215.14', true], ['not an ip', false],
  ];
  for (const [address, expected] of cases) it(address, () => assert.equal(isPublicAddress(address), expected));
});

describe('webhookTargetProblem', () => {
  // Resolution is given: no test looks up a public name.
  const resolve = async (host: string) => ({ 'hooks.example': ['93.184.215.14'], 'inside.example': ['10.0.0.5'], 'mixed.example': ['93.184.215.14', '127.0.0.1'] })[host] ?? [];
  const cases: ReadonlyArray<{ url: string; allowPrivate?: boolean; problem?: RegExp }> = [
    { url: 'https://hooks.example/in' },
    { url: 'http://hooks.example/in', problem: /must start with https/ },
    { url: 'https://inside.example/in', problem: /not a public address/ },
    { url: 'https://mixed.example/in', problem: /not a public address/ },
    { url: 'https://127.0.0.1:8080/in', problem: /not a public address/ },
    { url: 'https://user:pw@hooks.example/in', problem: /user name or password/ },
    { url: 'nonsense', problem: /Please enter a URL/ },
    { url: 'http://127.0.0.1:8080/in', allowPrivate: true },
  ];
  for (const { url, allowPrivate, problem } of cases) {
    it(url, async () => {
      const found = await webhookTargetProblem(url, allowPrivate ?? false, resolve);
      if (problem) assert.match(found ?? '', problem);
      else assert.equal(found, undefined);
    });
  }
});
