// The hub's provenance endpoint for agents over a real hub (startApp on loopback, SQLite in a temp
// dir): signed snapshots of assigned monitors go to the ledger under the agent's vantage; snapshots of
// monitors not assigned to the agent, unknown, of another host or malformed are refused one by one
// with a reason; a bad signature refuses the whole batch and records nothing. The hub checks none of
// these monitors itself (their vantages leave it out), so nothing here resolves a name.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { startApp, type RunningApp } from '../../src/app.js';
import { canonicalBatchText, canonicalSnapshotsText, generateAgentKeyPair, signText, type AgentKeyPair } from '../../src/agents/signatures.js';
import { hashAgentToken, newAgentToken } from '../../src/agents/tokens.js';
import { parseConfig } from '../../src/config/load.js';
import type { ProvenanceSnapshot } from '../../src/provenance/snapshot.js';
import { openStore } from '../../src/storage/open.js';

const CONFIG = `
monitors:
  - { id: web, type: http, url: "https://app.example.test:8443/", interval: 1h, vantages: [a1] }
  - { id: eu-shop, type: tcp, host: shop.example.test, port: 443, interval: 1h, vantages: [eu-*] }
  - { id: literal, type: tcp, host: 127.0.0.1, port: 9, interval: 1h, vantages: [a1] }
provenance: { interval: 5m, resolver: "127.0.0.1:5353" }
policies:
  - { id: nl-only, appliesTo: { monitors: [web] }, allow: { countries: [NL] } }
`;

const snapshotOf = (address: string, host = 'app.example.test', port = 8443, country = 'NL'): ProvenanceSnapshot => ({
  host,
  port,
  resolver: '127.0.0.1:5353',
  cnames: [],
  addresses: [{ address, family: 4, ttl: 60 }],
  connectedAddress: address,
  networks: [{ address, asn: 64500, org: 'Example Net A', country }],
  cdns: [],
});

describe('agents sending provenance snapshots to the hub', () => {
  let dir: string;
  let app: RunningApp;
  const tokens: Record<string, string> = {};
  const keys: Record<string, AgentKeyPair> = {};

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-agent-provenance-'));
    const admin = await openStore({ dataDir: dir });
    await admin.migrate();
    for (const name of ['a1', 'us-east']) {
      tokens[name] = newAgentToken();
      keys[name] = generateAgentKeyPair();
      await admin.agents.add({ name, region: 'somewhere', tokenHash: hashAgentToken(tokens[name]!), createdAt: Date.now() });
    }
    await admin.close();
    app = await startApp({ config: parseConfig(CONFIG, 'candor.yaml', {}), log: pino({ level: 'silent' }), dataDir: dir, host: '127.0.0.1', port: 0, ingest: { flushIntervalMs: 20 } });
    for (const name of ['a1', 'us-east']) {
      const response = await send('PUT', '/api/v1/agent/key', name, { publicKey: keys[name]!.publicKey });
      assert.equal(response.status, 200, await response.text());
    }
  });

  after(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function send(method: string, path: string, agent: string | undefined, body?: unknown): Promise<Response> {
    return fetch(`${app.url}${path}`, {
      method,
      headers: { ...(agent ? { authorization: `Bearer ${tokens[agent]}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }

  function signed(agent: string, snapshots: unknown[], options: { signer?: AgentKeyPair; sentAt?: number } = {}) {
    const sentAt = options.sentAt ?? Date.now();
    return { agent, sentAt, snapshots, signature: signText(canonicalSnapshotsText({ agent, sentAt, snapshots }), (options.signer ?? keys[agent]!).privateKey) };
  }

  async function push(agent: string, body: unknown): Promise<{ status: string; reason?: string; message?: string }[]> {
    const response = await send('POST', '/api/v1/agent/provenance', agent, body);
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as { results: { status: string; reason?: string; message?: string }[] }).results;
  }

  const vantagesOf = async (monitorId: string) => {
    const response = await fetch(`${app.url}/api/v1/monitors/${monitorId}/provenance`);
    assert.equal(response.status, 200);
    return ((await response.json()) as { vantages: { vantage: string; view: { addresses: string[]; networks: { asn: number; org: string }[]; countries: string[] } }[] }).vantages;
  };

  it('sends the provenance settings with the assignment', async () => {
    const response = await send('GET', '/api/v1/agent/assignment', 'a1');
    const assignment = (await response.json()) as { provenance: unknown; monitors: { id: string }[] };
    assert.deepEqual(assignment.provenance, { intervalMs: 300_000, resolver: '127.0.0.1:5353' });
    assert.deepEqual(assignment.monitors.map((m) => m.id).sort(), ['literal', 'web']);
  });

  it('records an assigned snapshot under the agent vantage and refuses the others one by one', async () => {
    const at = Date.now() - 1_000;
    const results = await push(
      'a1',
      signed('a1', [
        { monitorId: 'web', at, snapshot: snapshotOf('127.0.0.2') },
        { monitorId: 'eu-shop', at, snapshot: snapshotOf('127.0.0.2', 'shop.example.test', 443) },
        { monitorId: 'nowhere', at, snapshot: snapshotOf('127.0.0.2') },
        { monitorId: 'literal', at, snapshot: snapshotOf('127.0.0.1', '127.0.0.1', 9) },
        { monitorId: 'web', at, snapshot: snapshotOf('127.0.0.2', 'elsewhere.example.test') },
        { monitorId: 'web', at, snapshot: { ...snapshotOf('127.0.0.2'), networks: [{ address: '127.0.0.2', country: 'Netherlands' }] } },
        { monitorId: 'web', at: Date.now() + 3_600_000, snapshot: snapshotOf('127.0.0.2') },
        'not a snapshot',
      ]),
    );
    assert.deepEqual(
      results.map((r) => r.reason ?? r.status),
      ['recorded', 'not_assigned', 'unknown_monitor', 'not_observed', 'wrong_host', 'malformed', 'in_the_future', 'malformed'],
    );
    assert.match(results[1]!.message!, /not checked from a1/);
    assert.match(results[5]!.message!, /ISO 3166-1/);
    const [view, ...others] = await vantagesOf('web');
    assert.equal(others.length, 0);
    assert.equal(view!.vantage, 'a1');
    assert.deepEqual(view!.view.addresses, ['127.0.0.2']);
    assert.deepEqual(view!.view.networks, [{ asn: 64500, org: 'Example Net A' }]);
    assert.deepEqual(await vantagesOf('eu-shop'), [], 'nothing recorded for a monitor the agent is not assigned');
  });

  it('refuses a whole batch with a bad signature and records nothing of it', async () => {
    const at = Date.now();
    const forged = signed('a1', [{ monitorId: 'web', at, snapshot: snapshotOf('127.0.0.3') }], { signer: keys['us-east'] });
    assert.deepEqual((await push('a1', forged)).map((r) => r.reason), ['bad_signature']);
    const tampered = signed('a1', [{ monitorId: 'web', at, snapshot: snapshotOf('127.0.0.2') }]);
    tampered.snapshots = [{ monitorId: 'web', at, snapshot: snapshotOf('127.0.0.3') }];
    assert.deepEqual((await push('a1', tampered)).map((r) => r.reason), ['bad_signature']);
    const otherName = signed('us-east', [{ monitorId: 'web', at, snapshot: snapshotOf('127.0.0.3') }]);
    assert.deepEqual((await push('a1', otherName)).map((r) => r.reason), ['bad_signature'], "a batch naming another agent than the token's");
    // A batch of observations signed by the right key is not a batch of snapshots.
    const snapshots = [{ monitorId: 'web', at, snapshot: snapshotOf('127.0.0.3') }];
    const asResults = { agent: 'a1', sentAt: at, snapshots, signature: signText(canonicalBatchText({ agent: 'a1', sentAt: at, observations: snapshots }), keys['a1']!.privateKey) };
    assert.deepEqual((await push('a1', asResults)).map((r) => r.reason), ['bad_signature']);
    assert.deepEqual((await vantagesOf('web'))[0]!.view.addresses, ['127.0.0.2'], 'the ledger still holds the signed snapshot only');
  });

  it("judges the agent's snapshots by the policies, per vantage: a violation from a1, resolved when a1 complies again", async () => {
    const violations = async () =>
      ((await (await fetch(`${app.url}/api/v1/policies`)).json()) as { policies: { id: string; violations: { vantage: string; monitorId: string }[] }[] }).policies.find((p) => p.id === 'nl-only')!.violations;
    assert.deepEqual(await violations(), []);
    assert.deepEqual((await push('a1', signed('a1', [{ monitorId: 'web', at: Date.now(), snapshot: snapshotOf('127.0.0.2', 'app.example.test', 8443, 'US') }]))).map((r) => r.status), ['recorded']);
    assert.deepEqual((await violations()).map((v) => [v.vantage, v.monitorId]), [['a1', 'web']]);
    const changes = ((await (await fetch(`${app.url}/api/v1/provenance/changes?limit=100`)).json()) as { changes: { kind: string; vantage: string }[] }).changes;
    assert.deepEqual(changes.map((c) => [c.kind, c.vantage]), [['country', 'a1']]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await push('a1', signed('a1', [{ monitorId: 'web', at: Date.now(), snapshot: snapshotOf('127.0.0.2') }]));
    assert.deepEqual(await violations(), []);
  });

  it('asks for a token, and answers a malformed body with a 400 problem', async () => {
    const anonymous = await send('POST', '/api/v1/agent/provenance', undefined, signed('a1', []));
    assert.equal(anonymous.status, 401);
    const noList = await send('POST', '/api/v1/agent/provenance', 'a1', { agent: 'a1' });
    assert.equal(noList.status, 400);
    assert.match(noList.headers.get('content-type') ?? '', /problem\+json/);
  });
});
