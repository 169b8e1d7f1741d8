// Hostile configs: alias bombs, self-referencing aliases, deep nesting, huge files and floods of
// problems end in a located config problem, never in a hang, a crash or a stack trace.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_CONFIG_BYTES } from '../../src/config/bounds.js';
import { MAX_LISTED_PROBLEMS } from '../../src/config/problems.js';
import { runCandor } from '../support/candor-process.js';
import { problemsOf, yaml } from './support.js';

/** Nine levels of nine aliases to the level below: 9^9 (387 million) values when expanded. */
function aliasBomb(): string {
  const lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let level = 1; level <= 9; level++) {
    lines.push(`lol${level}: &lol${level} [${Array.from({ length: 9 }, () => `*lol${level - 1}`).join(', ')}]`);
  }
  // A JSON assertion's `equals` is free-form data, read in full: the place an expansion would happen.
  lines.push('monitors:', '  - id: a', '    type: http', '    url: http://127.0.0.1/', '    expect:', '      json:', '        - { path: a, equals: *lol9 }', '');
  return lines.join('\n');
}

describe('config bounds', () => {
  const rows: { name: string; input: string; problems: string[] }[] = [
    {
      name: 'a nested alias bomb is refused where it crosses the limit',
      input: aliasBomb(),
      problems: ['candor.yaml:7:14 (document): expected aliases to expand to at most 1000000 values, got more from here (write the values out, or alias less)'],
    },
    {
      name: 'an alias inside the map it refers to',
      input: yaml`
        defaults: &defaults
          tags: [a]
          again: *defaults
        monitors:
          - id: a
            type: tcp
            host: 127.0.0.1
            port: 1
      `,
      problems: ['candor.yaml:3:10 (document): expected an alias to a value defined elsewhere, got *defaults inside the value it refers to (it would never end)'],
    },
    {
      name: 'an alias inside the list it refers to',
      input: yaml`
        monitors: &all
          - *all
      `,
      problems: ['candor.yaml:2:5 (document): expected an alias to a value defined elsewhere, got *all inside the value it refers to (it would never end)'],
    },
    {
      name: 'flow collections nested a hundred thousand deep',
      input: `monitors: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
      problems: ['candor.yaml:1:75 (document): expected values nested at most 64 levels deep, got deeper here'],
    },
    {
      name: 'block lists nested deeper than the limit',
      input: `monitors:\n${Array.from({ length: 100 }, (_, depth) => `${' '.repeat(depth * 2 + 2)}-`).join('\n')} x\n`,
      problems: ['candor.yaml:65:1 (document): expected values nested at most 64 levels deep, got deeper here'],
    },
  ];
  for (const row of rows) it(row.name, () => assert.deepEqual(problemsOf(row.input), row.problems));

  it('aliases used the ordinary way still work', () => {
    const problems = problemsOf(yaml`
      x-tags: &tags [shop, eu]
      monitors:
        - { id: a, type: tcp, host: 127.0.0.1, port: 1, tags: *tags }
        - { id: b, type: tcp, host: 127.0.0.1, port: 2, tags: *tags, interval: nope }
    `);
    // Only the deliberate mistake: the aliases themselves are fine (x-tags is an unknown key too).
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.match(problems.join('\n'), /x-tags/);
    assert.match(problems.join('\n'), /monitors\[1\]\.interval/);
  });

  it('lists at most 50 problems and counts the rest', () => {
    const monitors = Array.from({ length: 120 }, (_, index) => `  - { id: m${index}, type: tcp, host: 127.0.0.1, port: 0 }`);
    const problems = problemsOf(['monitors:', ...monitors, ''].join('\n'));
    assert.equal(problems.length, MAX_LISTED_PROBLEMS + 1);
    assert.match(problems[0]!, /^candor\.yaml:2:\d+ monitors\[0\]\.port: expected an integer from 1 to 65535, got 0$/);
    assert.equal(problems.at(-1), '... and 70 more problems (fix these first)');
  });
});

describe('candor validate on hostile files (real process)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-bounds-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('an alias bomb is a config error (exit 2), not a run without end', async () => {
    const file = join(dir, 'bomb.yaml');
    writeFileSync(file, aliasBomb());
    const run = await runCandor(['validate', '--config', file], 10_000);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /bomb\.yaml:7:14 \(document\): expected aliases to expand to at most/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });

  it('a self-referencing alias is a config error (exit 2), not a crash', async () => {
    const file = join(dir, 'self.yaml');
    writeFileSync(file, 'monitors: &m\n  - id: a\n    type: http\n    url: http://127.0.0.1/\n    expect:\n      json:\n        - { path: a, equals: *m }\n');
    const run = await runCandor(['validate', '--config', file], 10_000);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /self\.yaml:7:30 \(document\): expected an alias to a value defined elsewhere, got \*m/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });

  it('deep nesting is a config error (exit 2), not a crash', async () => {
    const file = join(dir, 'deep.yaml');
    writeFileSync(file, `monitors: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`);
    const run = await runCandor(['validate', '--config', file], 10_000);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /deep\.yaml:1:75 \(document\): expected values nested at most 64 levels deep/);
  });

  it('a file over the size limit is refused before it is read', async () => {
    const file = join(dir, 'huge.yaml');
    writeFileSync(file, `# ${'x'.repeat(MAX_CONFIG_BYTES)}\nmonitors: []\n`);
    const run = await runCandor(['validate', '--config', file], 10_000);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /huge\.yaml:1:1 \(document\): the file is \d+ bytes, more than the 16777216 bytes \(16 MiB\) a config may have/);
  });
});
