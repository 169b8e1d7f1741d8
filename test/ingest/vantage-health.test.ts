// VantageHealth judges each observation by what its vantage's checks looked like when it was made, not
// only by the end of the batch that carries it: an agent back from an outage of its own network sends
// the failures it buffered together with its first passing checks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { parseConfig } from '../../src/config/load.js';
import type { Observation } from '../../src/domain/observation.js';
import { VantageHealth } from '../../src/ingest/vantage-health.js';
import { FakeTime } from '../support/fake-time.js';

const CONFIG = [
  'monitors:',
  '  - { id: web, type: http, url: "http://10.231.0.3/", interval: 5s }',
  'controls:',
  '  - { id: ref, type: http, url: "http://10.231.0.4/", interval: 5s }',
  '',
].join('\n');

function observation(monitorId: string, startedAt: number, ok: boolean): Observation {
  return {
    monitorId,
    vantage: 'eu',
    plannedAt: startedAt,
    startedAt,
    ok,
    phases: { total: ok ? 3 : 2000 },
    ...(ok ? {} : { error: { kind: 'connect_timeout' as const, message: 'no answer to SYN within 2000 ms' } }),
    details: { type: 'http' },
  } as Observation;
}

/** One character per check of the monitor and of the control, 5 s apart, the control 2 s after the monitor. */
function checks(web: string, ref: string, from: number): Observation[] {
  return [
    ...[...web].map((c, i) => observation('web', from + i * 5_000, c === '.')),
    ...[...ref].map((c, i) => observation('ref', from + 2_000 + i * 5_000, c === '.')),
  ];
}

function health(time: FakeTime): VantageHealth {
  const config = parseConfig(CONFIG, 'candor.yaml', {});
  return new VantageHealth({
    monitors: new Map(config.monitors.map((m) => [m.id, m])),
    controls: new Map((config.controls ?? []).map((c) => [c.id, c])),
    clock: time,
    log: pino({ level: 'silent' }),
  });
}

describe('VantageHealth, observation by observation', () => {
  const rows = [
    {
      name: 'buffered failures sent with the first passing checks: impaired while both failed, not before, not after',
      web: '.xxxx..',
      ref: '.xxxx..',
      // web: its first failure came before the control's (not yet impaired by when it was made), then impaired.
      expectWeb: ['ok', 'ok', 'controls', 'controls', 'controls', 'ok', 'ok'],
      expectNow: false,
    },
    { name: 'the control alone fails: the target is not blamed, nor the vantage', web: '.....', ref: '.xxx.', expectWeb: ['ok', 'ok', 'ok', 'ok', 'ok'], expectNow: false },
    { name: 'still failing at the end of the batch: impaired now too', web: '..xxx', ref: '..xxx', expectWeb: ['ok', 'ok', 'ok', 'controls', 'controls'], expectNow: true },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const from = 1_000_000;
      const time = new FakeTime(from + row.web.length * 5_000 + 1_000);
      const batch = checks(row.web, row.ref, from);
      const { whenMade, now } = health(time).observe(batch);
      const ofWeb = batch.map((o, i) => (o.monitorId === 'web' ? (whenMade[i] ?? 'ok') : undefined)).filter((v) => v !== undefined);
      assert.deepEqual(ofWeb, row.expectWeb);
      assert.equal(now.has('eu'), row.expectNow);
    });
  }

  it('the order in the batch does not matter: each is judged by when it was made', () => {
    const time = new FakeTime(2_000_000);
    const batch = checks('.xxxx..', '.xxxx..', 1_900_000);
    const reversed = [...batch].reverse();
    const forward = health(time).observe(batch).whenMade;
    const backward = health(time).observe(reversed).whenMade;
    assert.deepEqual([...backward].reverse(), [...forward]);
  });
});
