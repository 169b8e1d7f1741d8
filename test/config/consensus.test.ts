import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, problemsOf, yaml } from './support.js';

describe('quorum and controls in the config', () => {
  it('reads a monitor quorum; absent, it is left to consensus (a majority)', () => {
    const config = parse(yaml`
      monitors:
        - { id: web, type: http, url: "http://127.0.0.1:8080/", vantages: [eu-*], quorum: 2 }
        - { id: db, type: tcp, host: 127.0.0.1, port: 5432 }
    `);
    assert.equal(config.monitors[0]!.quorum, 2);
    assert.equal('quorum' in config.monitors[1]!, false);
    assert.equal(config.controls, undefined);
  });

  it('reads controls like monitors, with defaults filled in, kept apart from the monitors', () => {
    const config = parse(yaml`
      defaults: { interval: 30s }
      monitors:
        - { id: web, type: http, url: "http://127.0.0.1:8080/" }
      controls:
        - { id: ref-dns, type: dns, name: example.org, resolver: 127.0.0.1 }
        - { id: ref-web, type: http, url: "http://127.0.0.1:9/", timeout: 5s }
    `);
    assert.deepEqual(config.monitors.map((m) => m.id), ['web']);
    assert.deepEqual(config.controls?.map((c) => [c.id, c.probe.type, c.intervalMs]), [['ref-dns', 'dns', 30_000], ['ref-web', 'http', 30_000]]);
  });

  const refused: ReadonlyArray<{ name: string; text: string; problem: RegExp }> = [
    { name: 'a quorum of 0', text: 'monitors:\n  - { id: web, type: http, url: "http://127.0.0.1:8080/", quorum: 0 }\n', problem: /^candor\.yaml:2:\d+ monitors\[0\]\.quorum: expected an integer from 1 to 1000, got 0$/ },
    { name: 'a quorum that is not a whole number', text: 'monitors:\n  - { id: web, type: http, url: "http://127.0.0.1:8080/", quorum: 1.5 }\n', problem: /monitors\[0\]\.quorum: expected an integer/ },
    { name: 'a quorum in words', text: 'monitors:\n  - { id: web, type: http, url: "http://127.0.0.1:8080/", quorum: most }\n', problem: /monitors\[0\]\.quorum: expected an integer from 1 to 1000, got "most"/ },
    {
      name: 'a control with the id of a monitor',
      text: 'monitors:\n  - { id: web, type: http, url: "http://127.0.0.1:8080/" }\ncontrols:\n  - { id: web, type: tcp, host: 127.0.0.1, port: 9 }\n',
      problem: /^candor\.yaml:4:\d+ controls\[0\]\.id: expected an id used by no monitor or other control, got "web" again \(first used by monitors\[0\] on line 2\)$/,
    },
    {
      name: 'a control with keys only shown monitors have',
      text: 'monitors:\n  - { id: web, type: http, url: "http://127.0.0.1:8080/" }\ncontrols:\n  - { id: ref, type: tcp, host: 127.0.0.1, port: 9, vantages: [a1] }\n',
      problem: /^candor\.yaml:4:\d+ controls\[0\]\.vantages: key "vantages" does not apply to a control/,
    },
    { name: 'controls that are not a list', text: 'monitors:\n  - { id: web, type: http, url: "http://127.0.0.1:8080/" }\ncontrols: { id: ref }\n', problem: /controls: expected a list of reference targets/ },
  ];
  for (const { name, text, problem } of refused) {
    it(`refuses ${name}, saying where`, () => {
      const problems = problemsOf(text);
      assert.ok(problems.some((line) => problem.test(line)), problems.join('\n'));
    });
  }
});
