import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { parse } from '../config/support.js';
import { ProvenanceSchedule, provenanceTargetOf, type ProvenanceTarget } from '../../src/provenance/schedule.js';
import type { Observation } from '../../src/domain/observation.js';
import { FakeTime } from '../support/fake-time.js';
import { snapshot } from './snapshots.js';

const CONFIG = parse(`monitors:
  - { id: web, type: http, url: "https://app.test/health" }
  - { id: plain, type: http, url: "http://app.test:8080/" }
  - { id: literal, type: http, url: "http://127.0.0.1:8080/" }
  - { id: local, type: tcp, host: localhost, port: 22 }
  - { id: ssh, type: tcp, host: ssh.test, port: 22 }
  - { id: cert, type: tls, host: app.test, port: 8443, servername: other.test }
  - { id: zone, type: dns, name: app.test, recordType: A, resolver: "127.0.0.1:5353" }
`);
const monitors = new Map(CONFIG.monitors.map((m) => [m.id, m]));
const MINUTE = 60_000;

describe('what provenance is taken of', () => {
  const cases: { id: string; expected: ProvenanceTarget | undefined }[] = [
    { id: 'web', expected: { host: 'app.test', port: 443, tls: true, http: true } },
    { id: 'plain', expected: { host: 'app.test', port: 8080, tls: false, http: true } },
    { id: 'literal', expected: undefined },
    { id: 'local', expected: undefined },
    { id: 'ssh', expected: { host: 'ssh.test', port: 22, tls: false, http: false } },
    { id: 'cert', expected: { host: 'app.test', port: 8443, tls: true, http: false } },
    { id: 'zone', expected: undefined },
  ];
  for (const c of cases) it(c.id, () => assert.deepEqual(provenanceTargetOf(monitors.get(c.id)!), c.expected));
});

describe('when provenance is taken', () => {
  const observation = (monitorId: string, peerAddress?: string, vantage = 'local'): Observation =>
    ({ monitorId, vantage, plannedAt: 0, startedAt: 0, ok: true, phases: { total: 1 }, details: { type: 'tcp' }, ...(peerAddress ? { peerAddress } : {}) }) as unknown as Observation;

  function setup(options: { concurrency?: number; hold?: boolean } = {}) {
    const time = new FakeTime();
    const taken: string[] = [];
    const recorded: string[] = [];
    const release: (() => void)[] = [];
    const schedule = new ProvenanceSchedule({
      monitors,
      vantage: 'local',
      intervalMs: 10 * MINUTE,
      clock: time,
      log: pino({ level: 'silent' }),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      observe: async (target) => {
        taken.push(target.host);
        if (options.hold) await new Promise<void>((resolve) => release.push(resolve));
        return snapshot({ host: target.host });
      },
      record: async (observed) => {
        recorded.push(observed.monitorId);
      },
    });
    return { time, taken, recorded, release, schedule };
  }
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('at most once per interval, and sooner for an address the last snapshot did not list', async () => {
    const { time, recorded, schedule } = setup();
    schedule.noticed(observation('web', '127.0.0.2'));
    await settle();
    schedule.noticed(observation('web', '127.0.0.2'));
    time.jump(5 * MINUTE);
    schedule.noticed(observation('web', '127.0.0.2'));
    await settle();
    assert.deepEqual(recorded, ['web'], 'not due yet, and the peer is known');
    schedule.noticed(observation('web', '127.0.0.3'));
    await settle();
    assert.deepEqual(recorded, ['web', 'web'], 'a new peer address');
    time.jump(30_000);
    schedule.noticed(observation('web', '127.0.0.4'));
    await settle();
    assert.deepEqual(recorded, ['web', 'web'], 'not twice within a minute');
    time.jump(10 * MINUTE);
    schedule.noticed(observation('web', '127.0.0.2'));
    await settle();
    assert.deepEqual(recorded, ['web', 'web', 'web'], 'due again');
    await schedule.stop();
  });

  it('only for monitors with a host name, from its own vantage', async () => {
    const { recorded, schedule } = setup();
    schedule.noticed(observation('literal'));
    schedule.noticed(observation('ssh', undefined, 'eu-west'));
    schedule.noticed(observation('unknown'));
    await settle();
    assert.deepEqual(recorded, []);
    await schedule.stop();
  });

  it('resumes from the ledger after a restart', async () => {
    const { time, recorded, schedule } = setup();
    schedule.restore([{ id: 'e', monitorId: 'web', vantage: 'local', firstSeen: 0, lastSeen: time.now() - MINUTE, observations: 1, snapshot: snapshot(), view: { resolved: true, answered: true, addresses: ['127.0.0.2'], networks: [], countries: [], cdns: [] } }]);
    schedule.noticed(observation('web', '127.0.0.2'));
    schedule.noticed(observation('ssh'));
    await settle();
    assert.deepEqual(recorded, ['ssh']);
    await schedule.stop();
  });

  it('takes a bounded number at once, each monitor once', async () => {
    const { taken, release, schedule } = setup({ concurrency: 2, hold: true });
    for (const id of ['web', 'web', 'plain', 'ssh', 'cert']) schedule.noticed(observation(id));
    await settle();
    assert.equal(taken.length, 2);
    release.splice(0).forEach((resolve) => resolve());
    await settle();
    await settle();
    assert.equal(taken.length, 4, 'web once, then the next ones');
    release.splice(0).forEach((resolve) => resolve());
    await schedule.stop();
  });
});
