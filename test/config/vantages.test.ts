import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, problemsOf, yaml } from './support.js';

describe('vantages in the config', () => {
  it('the hub is the vantage "local" by default, and every monitor is checked from every vantage', () => {
    const config = parse(yaml`
      monitors:
        - { id: web, type: http, url: "http://127.0.0.1:8080/" }
    `);
    assert.deepEqual(config.vantage, { name: 'local' });
    assert.equal('vantages' in config.monitors[0]!, false);
  });

  it('reads the hub vantage and each monitor\'s vantage patterns', () => {
    const config = parse(yaml`
      vantage: { name: hub-1, region: eu-central }
      monitors:
        - { id: web, type: http, url: "http://127.0.0.1:8080/", vantages: [a1, eu-*] }
    `);
    assert.deepEqual(config.vantage, { name: 'hub-1', region: 'eu-central' });
    assert.deepEqual(config.monitors[0]!.vantages, ['a1', 'eu-*']);
  });

  const refused: ReadonlyArray<{ name: string; text: string; problem: RegExp }> = [
    { name: 'a vantage name with capitals', text: 'vantage: { name: Hub }', problem: /vantage\.name: expected a vantage name/ },
    { name: 'an unknown key under vantage', text: 'vantage: { name: hub, zone: x }', problem: /vantage\.zone/ },
    { name: 'an empty vantages list', text: 'defaults: {}\n', problem: /expected at least one vantage name or pattern/ },
    { name: 'a pattern with a slash', text: 'defaults: {}\n', problem: /expected a vantage name of lower-case letters/ },
  ];
  for (const [index, { name, text, problem }] of refused.entries()) {
    it(`refuses ${name}`, () => {
      const vantages = index === 2 ? '[]' : index === 3 ? '["eu/west"]' : '[a1]';
      const problems = problemsOf(`${text}\nmonitors:\n  - { id: web, type: http, url: "http://127.0.0.1:8080/", vantages: ${vantages} }\n`);
      assert.ok(problems.some((line) => problem.test(line)), problems.join('\n'));
    });
  }
});
