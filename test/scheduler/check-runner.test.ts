import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/load.js';
import type { ProbeOutcome } from '../../src/probes/types.js';
import type { Observation } from '../../src/domain/observation.js';
import { verdictOf } from '../../src/domain/verdict.js';
import { createCheckRunner } from '../../src/scheduler/check-runner.js';
import { RunCancellation } from '../../src/probes/errors.js';

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

function runner(outcome: ProbeOutcome, cancel?: RunCancellation) {
  const recorded: Observation[] = [];
  const run = createCheckRunner({
    monitors,
    probes: { run: async () => outcome },
    vantage: 'local',
    ...(cancel ? { cancel } : {}),
    record: (result) => recorded.push(result),
  });
  return { run, recorded };
}

const verdict = (observation: Observation) => verdictOf(observation, monitors.get(observation.monitorId)!, { vantageImpaired: false });

describe('check runner', () => {
  it('hands on what was observed, and nothing of the verdict', async () => {
    const { run, recorded } = runner({ ok: true, phases: { total: 150 }, peerAddress: '127.0.0.1', details: { type: 'tcp', bytesReceived: 0 } });
    await run('slow', at, at + 2);
    assert.deepEqual(recorded, [
      { monitorId: 'slow', vantage: 'local', plannedAt: at, startedAt: at + 2, ok: true, phases: { total: 150 }, peerAddress: '127.0.0.1', details: { type: 'tcp', bytesReceived: 0 } },
    ]);
  });

  it('a passing check slower than degradedAfter is judged degraded', async () => {
    const { run, recorded } = runner({ ok: true, phases: { total: 150 }, details: { type: 'tcp' } });
    await run('slow', at, at + 2);
    assert.deepEqual(verdict(recorded[0]!), { degraded: true, maintenance: false, inconclusive: false });
  });

  it('checks taken inside a maintenance window are judged maintenance', async () => {
    const { run, recorded } = runner({ ok: false, phases: { total: 5 }, error: { kind: 'connect_refused', message: 'x' }, details: { type: 'tcp' } });
    await run('maint', at, at);
    assert.deepEqual(verdict(recorded[0]!), { degraded: false, maintenance: true, inconclusive: false });
  });

  it('local failures of an impaired vantage are judged inconclusive, failures from the target are not', () => {
    const base = { monitorId: 'slow', vantage: 'local', plannedAt: at, startedAt: at, ok: false, phases: { total: 5 }, details: { type: 'tcp' } } as const;
    const unreachable: Observation = { ...base, error: { kind: 'connect_unreachable', message: 'no route' } };
    const refused: Observation = { ...base, error: { kind: 'connect_refused', message: 'refused' } };
    const monitor = monitors.get('slow')!;
    assert.equal(verdictOf(unreachable, monitor, { vantageImpaired: true }).inconclusive, true);
    assert.equal(verdictOf(unreachable, monitor, { vantageImpaired: false }).inconclusive, false);
    assert.equal(verdictOf(refused, monitor, { vantageImpaired: true }).inconclusive, false);
  });

  it('records nothing for a check cut short by shutdown', async () => {
    const shutdown = new RunCancellation();
    shutdown.cancel();
    const { run, recorded } = runner({ ok: false, phases: { total: 5 }, error: { kind: 'timeout', message: 'aborted' }, details: { type: 'tcp' } }, shutdown);
    await run('slow', at, at);
    assert.equal(recorded.length, 0);
  });
});
