import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/load.js';
import type { CheckResult, ProbeOutcome } from '../../src/probes/types.js';
import { createCheckRunner } from '../../src/scheduler/check-runner.js';
import { FakeTime } from '../support/fake-time.js';

const config = parseConfig(
  `
monitors:
  - { id: slow, type: tcp, host: 127.0.0.1, port: 9, interval: 30s, degradedAfter: 100ms }
  - id: maint
    type: tcp
    host: 127.0.0.1
    port: 9
    maintenance: [{ start: "2026-01-01T00:00:00Z", end: "2026-01-01T01:00:00Z" }]
`,
  'candor.yaml',
  {},
);
const monitors = new Map(config.monitors.map((m) => [m.id, m]));
const at = Date.UTC(2026, 0, 1, 0, 30);

function runner(outcome: ProbeOutcome, signal?: AbortSignal) {
  const recorded: CheckResult[] = [];
  let n = 0;
  const run = createCheckRunner({
    monitors,
    probes: { run: async () => outcome },
    clock: new FakeTime(at),
    ids: { next: () => `id${n++}` },
    vantage: 'local',
    ...(signal ? { signal } : {}),
    record: (result) => recorded.push(result),
  });
  return { run, recorded };
}

describe('check runner', () => {
  it('marks a passing check slower than degradedAfter as degraded', async () => {
    const { run, recorded } = runner({ ok: true, phases: { total: 150 }, details: {} });
    await run('slow', at, at + 2);
    assert.equal(recorded.length, 1);
    assert.equal(recorded[0]!.degraded, true);
    assert.equal(recorded[0]!.plannedAt, at);
    assert.equal(recorded[0]!.startedAt, at + 2);
    assert.equal(recorded[0]!.maintenance, false);
  });

  it('flags checks taken inside a maintenance window', async () => {
    const { run, recorded } = runner({ ok: false, phases: { total: 5 }, error: { kind: 'connect_refused', message: 'x' }, details: {} });
    await run('maint', at, at);
    assert.equal(recorded[0]!.maintenance, true);
    assert.equal(recorded[0]!.degraded, false);
  });

  it('records nothing for a check cut short by shutdown', async () => {
    const shutdown = new AbortController();
    shutdown.abort();
    const { run, recorded } = runner({ ok: false, phases: { total: 5 }, error: { kind: 'timeout', message: 'aborted' }, details: {} }, shutdown.signal);
    await run('slow', at, at);
    assert.equal(recorded.length, 0);
  });
});
