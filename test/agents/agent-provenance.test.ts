// The agent's provenance over real loopback servers: a snapshot taken after a check (the real probe,
// the assignment's resolver pointing at a loopback DNS server, the fixture IP database) waits in the
// agent's disk buffer while the hub is away, then reaches the hub signed, once; another check within
// the interval takes none. Only the hub is stood in for (it answers over HTTP in the e2e test).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { agentProvenance, type AgentProvenance } from '../../src/agents/agent-provenance.js';
import { HubFailure, type HubClient, type SignedSnapshots } from '../../src/agents/hub-client.js';
import { OutageLog } from '../../src/agents/outage-log.js';
import { canonicalSnapshotsText, generateAgentKeyPair, verifyText } from '../../src/agents/signatures.js';
import type { PushedSnapshot } from '../../src/agents/snapshot-input.js';
import { parseConfig } from '../../src/config/load.js';
import type { Observation } from '../../src/domain/observation.js';
import { systemClock, systemTimers } from '../../src/runtime/clock.js';
import { startDnsServer, type RunningDnsServer } from '../support/dns-server.js';
import { fixtureIpDb } from '../support/ipdb-fixture.js';
import { startLoopbackSite, type LoopbackSite } from '../support/provenance-servers.js';

const HOST = 'app.example.test';

class HubStandIn implements HubClient {
  away = true;
  attempts = 0;
  readonly received: SignedSnapshots[] = [];
  async assignment() {
    return undefined;
  }
  async registerKey() {
    return { fingerprint: 'x' };
  }
  async push(): Promise<never> {
    throw new HubFailure('refused', 'not used here');
  }
  async pushProvenance(batch: SignedSnapshots) {
    this.attempts++;
    if (this.away) throw new HubFailure('unreachable', 'connect ECONNREFUSED 127.0.0.1:1');
    this.received.push(batch);
    return { results: batch.snapshots.map(() => ({ status: 'recorded' as const })) };
  }
}

async function until(what: string, test: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("an agent's provenance snapshots", () => {
  let dir: string;
  let dns: RunningDnsServer;
  let site: LoopbackSite;
  let provenance: AgentProvenance;
  const hub = new HubStandIn();
  const keys = generateAgentKeyPair();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-agent-snapshots-'));
    site = await startLoopbackSite('127.0.0.2', { headers: { 'x-served-by': 'cache-ams1' } });
    dns = await startDnsServer({ [HOST]: { records: [{ type: 'A', ttl: 60, data: '127.0.0.2' }] } });
    const log = pino({ level: 'silent' });
    provenance = agentProvenance({
      name: 'a1',
      dataDir: dir,
      bufferBytes: 256 * 1024,
      keys,
      client: hub,
      clock: systemClock,
      timers: systemTimers,
      log,
      outage: new OutageLog({ clock: systemClock, log, buffered: () => 0 }),
      pushIntervalMs: 50,
      maxBackoffMs: 100,
      ready: () => true,
      ipdb: fixtureIpDb(),
    });
    const config = parseConfig(`monitors:\n  - { id: app, type: http, url: "http://${HOST}:${site.port}/", vantages: [a1] }\n`, 'candor.yaml', {});
    await provenance.restart(new Map(config.monitors.map((m) => [m.id, m])), { intervalMs: 60_000, resolver: `127.0.0.1:${dns.port}` });
    provenance.start();
  });

  after(async () => {
    await provenance?.stop();
    await Promise.all([site?.close(), dns?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const checked = (vantage = 'a1'): Observation =>
    ({ monitorId: 'app', vantage, plannedAt: Date.now(), startedAt: Date.now(), ok: true, phases: { total: 1 }, peerAddress: '127.0.0.2', details: { type: 'http' } }) as unknown as Observation;

  it('keeps the snapshot on disk while the hub is away and sends it signed once it is back', async () => {
    provenance.noticed(checked());
    await until('the snapshot in the buffer', () => provenance.buffer.size === 1);
    await until('a few failed sends', () => hub.attempts >= 2);
    assert.equal(provenance.buffer.size, 1, 'still buffered while the hub is away');
    assert.deepEqual(dns.queries.map((q) => q.name), [HOST, HOST], 'A and AAAA asked of the resolver from the assignment');

    hub.away = false;
    await until('the snapshot at the hub', () => hub.received.length === 1);
    await until('the buffer emptied', () => provenance.buffer.size === 0);
    const [batch] = hub.received;
    assert.equal(batch!.agent, 'a1');
    assert.ok(verifyText(canonicalSnapshotsText({ agent: batch!.agent, sentAt: batch!.sentAt, snapshots: batch!.snapshots }), batch!.signature, keys.publicKey));
    const [pushed] = batch!.snapshots as PushedSnapshot[];
    assert.equal(pushed!.monitorId, 'app');
    assert.equal(pushed!.snapshot.host, HOST);
    assert.equal(pushed!.snapshot.resolver, `127.0.0.1:${dns.port}`);
    assert.equal(pushed!.snapshot.connectedAddress, '127.0.0.2');
    assert.deepEqual(pushed!.snapshot.networks, [{ address: '127.0.0.2', asn: 64500, org: 'Example Net A', country: 'NL' }]);
    assert.deepEqual(pushed!.snapshot.cdns, ['Fastly']);
  });

  it('takes no other snapshot within the interval, nor for checks of another vantage', async () => {
    const queries = dns.queries.length;
    provenance.noticed(checked());
    provenance.noticed(checked('b2'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(dns.queries.length, queries);
    assert.equal(provenance.buffer.size, 0);
    assert.equal(hub.received.length, 1);
  });
});
