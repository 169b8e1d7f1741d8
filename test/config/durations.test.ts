import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, parseDuration } from '../../src/config/durations.js';
import { parseByteSize } from '../../src/config/sizes.js';
import { oneMonitor, parse, problemsOf } from './support.js';

describe('parseDuration', () => {
  const cases: ReadonlyArray<readonly [string, number | undefined]> = [
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1w', 604_800_000],
    ['1w2d3h4m5s6ms', 604_800_000 + 172_800_000 + 10_800_000 + 240_000 + 5_000 + 6],
    ['0s', 0],
    ['', undefined],
    ['30', undefined],
    ['thirty', undefined],
    ['1m1h', undefined],
    ['1s1s', undefined],
    ['1.5h', undefined],
    [' 30s', undefined],
    ['30s ', undefined],
    ['30S', undefined],
    ['-5s', undefined],
    ['5 s', undefined],
    ['99999999999999999w', undefined],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} → ${expected}`, () => assert.equal(parseDuration(text), expected));
  }

  for (const ms of [1, 999, 1_000, 61_000, 5_400_000, 90_061_001, 604_800_000]) {
    it(`formatDuration(${ms}) reads back`, () => assert.equal(parseDuration(formatDuration(ms)), ms));
  }
});

describe('parseByteSize', () => {
  const cases: ReadonlyArray<readonly [string, number | undefined]> = [
    ['100B', 100],
    ['512KiB', 524_288],
    ['1MiB', 1_048_576],
    ['2MB', 2_000_000],
    ['1 GiB', 1_073_741_824],
    ['1mb', undefined],
    ['1.5MiB', undefined],
    ['MiB', undefined],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} → ${expected}`, () => assert.equal(parseByteSize(text), expected));
  }
});

describe('durations in the config', () => {
  const cases: ReadonlyArray<{ name: string; value: string; problem?: string; ms?: number }> = [
    { name: 'a string with a unit', value: '90s', ms: 90_000 },
    { name: 'a compound string', value: '1h30m', ms: 5_400_000 },
    { name: 'a bare number', value: '30', problem: 'expected a duration like "30s", got 30 (a duration needs a unit: ms, s, m, h, d or w)' },
    { name: 'zero', value: '0', problem: 'expected a duration like "30s", got 0 (a duration needs a unit: ms, s, m, h, d or w)' },
    { name: 'zero with a unit', value: '0s', problem: 'expected a duration of at least 5s, got "0s"' },
    { name: 'below the minimum', value: '4s999ms', problem: 'expected a duration of at least 5s, got "4s999ms"' },
    { name: 'words', value: 'thirty', problem: 'expected a duration like "30s", got "thirty"' },
    { name: 'a list', value: '[30s]', problem: 'expected a duration like "30s", got a list' },
    { name: 'nothing', value: '', problem: 'expected a duration like "30s", got nothing' },
  ];
  for (const { name, value, problem, ms } of cases) {
    it(name, () => {
      const text = oneMonitor(`id: a\ntype: tcp\nhost: localhost\nport: 22\ninterval: ${value}`);
      if (problem) assert.deepEqual(problemsOf(text), [`candor.yaml:6:15 monitors[0].interval: ${problem}`]);
      else assert.equal(parse(text).monitors[0]?.intervalMs, ms);
    });
  }
});
